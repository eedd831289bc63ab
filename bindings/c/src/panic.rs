//! The panic boundary: no Rust panic may unwind into C.

/// What an exported function returns when its body panicked.
pub(crate) trait PanicOrDefault {
    fn value() -> Self;
}

impl PanicOrDefault for crate::error::ht_result {
    fn value() -> Self {
        crate::error::ht_result::HT_PANIC
    }
}

impl<T> PanicOrDefault for *const T {
    fn value() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicOrDefault for *mut T {
    fn value() -> Self {
        std::ptr::null_mut()
    }
}

impl PanicOrDefault for usize {
    fn value() -> Self {
        0
    }
}

impl PanicOrDefault for u64 {
    fn value() -> Self {
        0
    }
}

impl PanicOrDefault for u32 {
    fn value() -> Self {
        0
    }
}

impl PanicOrDefault for bool {
    fn value() -> Self {
        false
    }
}

impl PanicOrDefault for () {
    fn value() -> Self {}
}

/// Runs an exported function's body under `catch_unwind`; a panic becomes
/// the return type's [`PanicOrDefault`] value (`HT_PANIC` for results).
macro_rules! ffi_panic_boundary {
    ( $($body:tt)* ) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(_) => $crate::panic::PanicOrDefault::value(),
        }
    };
}

pub(crate) use ffi_panic_boundary;

impl PanicOrDefault for crate::finding::ht_finding_kind {
    fn value() -> Self {
        Self::HT_FINDING_UNRECOGNIZED
    }
}

impl PanicOrDefault for crate::finding::ht_severity {
    fn value() -> Self {
        Self::HT_SEVERITY_ERROR
    }
}

impl PanicOrDefault for crate::diagnosis::ht_diagnosis_kind {
    fn value() -> Self {
        Self::HT_DIAGNOSIS_UNRECOGNIZED
    }
}

impl PanicOrDefault for crate::verified::ht_matched_field {
    fn value() -> Self {
        Self::HT_MATCHED_NONE
    }
}

#[cfg(test)]
mod tests {
    use crate::error::ht_result;

    fn panics(yes: bool) -> ht_result {
        ffi_panic_boundary! {
            if yes {
                panic!("test panic");
            }
            ht_result::HT_OK
        }
    }

    #[test]
    fn a_panic_becomes_a_result_code() {
        assert_eq!(panics(false), ht_result::HT_OK);
        assert_eq!(panics(true), ht_result::HT_PANIC);
    }
}
