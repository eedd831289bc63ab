//! Glue for the boundary: opaque-pointer casts, checked slices and out-params, C strings.

use std::ffi::c_char;

use crate::error::ht_result;

/// Ties an opaque C type to the Rust value a pointer to it stands for.
/// Every such pointer owns a `Box<RustType>` (made by [`to_boxed_mut_ptr`],
/// freed by [`free_box`]) or borrows a value owned by another object.
pub(crate) trait Castable {
    /// The Rust value behind the opaque pointer.
    type RustType;
}

/// Moves `value` to the heap and returns it as an owning opaque pointer.
pub(crate) fn to_boxed_mut_ptr<C: Castable>(value: C::RustType) -> *mut C {
    Box::into_raw(Box::new(value)).cast()
}

/// Frees a pointer made by [`to_boxed_mut_ptr`]; NULL is ignored.
///
/// # Safety
/// `ptr` is NULL or came from `to_boxed_mut_ptr::<C>` and was not freed yet.
pub(crate) unsafe fn free_box<C: Castable>(ptr: *mut C) {
    if !ptr.is_null() {
        // SAFETY: per this function's contract the pointer owns a live Box<C::RustType>.
        drop(unsafe { Box::from_raw(ptr.cast::<C::RustType>()) });
    }
}

/// A shared reference to the value behind `ptr`, or `HT_NULL_PARAMETER`.
///
/// # Safety
/// `ptr` is NULL or points to a live `C::RustType` (owned or borrowed by the
/// library) that outlives `'a` and is not mutated meanwhile.
pub(crate) unsafe fn try_ref<'a, C: Castable>(ptr: *const C) -> Result<&'a C::RustType, ht_result> {
    // SAFETY: per this function's contract.
    unsafe { ptr.cast::<C::RustType>().as_ref() }.ok_or(ht_result::HT_NULL_PARAMETER)
}

/// The value behind `ptr` for an optional argument: `None` for NULL.
///
/// # Safety
/// As [`try_ref`].
pub(crate) unsafe fn opt_ref<'a, C: Castable>(ptr: *const C) -> Option<&'a C::RustType> {
    // SAFETY: per this function's contract.
    unsafe { ptr.cast::<C::RustType>().as_ref() }
}

/// A mutable reference to the value behind `ptr`, or `HT_NULL_PARAMETER`.
///
/// # Safety
/// As [`try_ref`], and no other reference to the value is in use.
pub(crate) unsafe fn try_mut<'a, C: Castable>(
    ptr: *mut C,
) -> Result<&'a mut C::RustType, ht_result> {
    // SAFETY: per this function's contract.
    unsafe { ptr.cast::<C::RustType>().as_mut() }.ok_or(ht_result::HT_NULL_PARAMETER)
}

/// Bytes `[ptr, ptr + len)`: `HT_NULL_PARAMETER` for NULL (even with length 0),
/// `HT_BUFFER_TOO_LARGE` for a length no object can have.
///
/// # Safety
/// When non-NULL, `ptr` points to `len` readable bytes that stay unchanged for `'a`.
pub(crate) unsafe fn try_slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], ht_result> {
    if ptr.is_null() {
        return Err(ht_result::HT_NULL_PARAMETER);
    }
    if len > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
        return Err(ht_result::HT_BUFFER_TOO_LARGE);
    }
    // SAFETY: non-NULL, the length fits an object, and the caller promises
    // `len` readable elements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// UTF-8 text from `ptr`/`len` (see [`try_slice`]); `HT_INVALID_UTF8` otherwise.
///
/// # Safety
/// As [`try_slice`].
pub(crate) unsafe fn try_str<'a>(ptr: *const u8, len: usize) -> Result<&'a str, ht_result> {
    // SAFETY: per this function's contract.
    let bytes = unsafe { try_slice(ptr, len) }?;
    std::str::from_utf8(bytes).map_err(|_| ht_result::HT_INVALID_UTF8)
}

/// Checks that an out-param is not NULL, before any work is done.
pub(crate) fn check_out<T>(out: *mut T) -> Result<(), ht_result> {
    if out.is_null() {
        Err(ht_result::HT_NULL_PARAMETER)
    } else {
        Ok(())
    }
}

/// Writes `value` through `out` (checked non-NULL).
///
/// # Safety
/// `out` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) -> Result<(), ht_result> {
    check_out(out)?;
    // SAFETY: non-NULL and, per this function's contract, writable.
    unsafe { out.write(value) };
    Ok(())
}

/// Turns a body's `Result` into the result code.
pub(crate) fn code(r: Result<(), ht_result>) -> ht_result {
    match r {
        Ok(()) => ht_result::HT_OK,
        Err(e) => e,
    }
}

/// Owned UTF-8 text with a NUL after it, handed to C as `const char *` + length.
/// An interior NUL (possible in a certificate's subject) is kept: the length
/// covers the whole text, C string functions see a prefix.
#[derive(Clone, Debug)]
pub(crate) struct Text(Box<[u8]>);

impl Text {
    pub(crate) fn new(s: &str) -> Self {
        let mut v = Vec::with_capacity(s.len() + 1);
        v.extend_from_slice(s.as_bytes());
        v.push(0);
        Self(v.into_boxed_slice())
    }

    pub(crate) fn opt(s: Option<&str>) -> Option<Self> {
        s.map(Self::new)
    }

    /// The pointer for C, writing the length (without the NUL) to `len` when non-NULL.
    ///
    /// # Safety
    /// `len` is NULL or valid for a write.
    pub(crate) unsafe fn out(&self, len: *mut usize) -> *const c_char {
        if !len.is_null() {
            // SAFETY: non-NULL and, per this function's contract, writable.
            unsafe { len.write(self.0.len() - 1) };
        }
        self.0.as_ptr().cast()
    }
}

/// The pointer of an optional text, NULL (and length 0) when absent.
///
/// # Safety
/// `len` is NULL or valid for a write.
pub(crate) unsafe fn text_out(text: Option<&Text>, len: *mut usize) -> *const c_char {
    match text {
        // SAFETY: forwarded contract.
        Some(t) => unsafe { t.out(len) },
        None => {
            if !len.is_null() {
                // SAFETY: non-NULL and, per this function's contract, writable.
                unsafe { len.write(0) };
            }
            std::ptr::null()
        }
    }
}

/// A path from bytes: on Unix any bytes (`OsStr::from_bytes`), elsewhere UTF-8.
pub(crate) fn path_from_bytes(bytes: &[u8]) -> Result<std::path::PathBuf, ht_result> {
    if bytes.is_empty() || bytes.contains(&0) {
        return Err(ht_result::HT_INVALID_ARGUMENT);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(std::path::PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes)
            .map(std::path::PathBuf::from)
            .map_err(|_| ht_result::HT_INVALID_UTF8)
    }
}

/// Gives a C enum a checked conversion from the `uint32_t` a C caller passes
/// (any value is safe to pass; an unknown one is `HT_INVALID_ARGUMENT`).
macro_rules! enum_from_u32 {
    ($name:ident { $($variant:ident),+ $(,)? }) => {
        impl $name {
            pub(crate) fn from_u32(v: u32) -> Result<Self, $crate::error::ht_result> {
                $(
                    if v == $name::$variant as u32 {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::error::ht_result::HT_INVALID_ARGUMENT)
            }
        }
    };
}

pub(crate) use enum_from_u32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_length_and_nul() {
        let t = Text::new("a\0b");
        let mut len = 99usize;
        // SAFETY: `len` is a live local.
        let p = unsafe { t.out(&mut len) };
        assert_eq!(len, 3);
        // SAFETY: `p` points to len + 1 bytes owned by `t`.
        let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len + 1) };
        assert_eq!(bytes, b"a\0b\0");
    }

    #[test]
    fn slices_refuse_null_and_impossible_lengths() {
        // SAFETY: NULL is refused before any read.
        let null = unsafe { try_slice::<u8>(std::ptr::null(), 0) };
        assert_eq!(null.unwrap_err(), ht_result::HT_NULL_PARAMETER);
        let b = [1u8];
        // SAFETY: the length is refused before any read.
        let huge = unsafe { try_slice(b.as_ptr(), usize::MAX) };
        assert_eq!(huge.unwrap_err(), ht_result::HT_BUFFER_TOO_LARGE);
    }
}
