//! Signature algorithms handed to webpki, per crypto provider and SHA-1 policy.

use pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

#[cfg(feature = "aws-lc-rs")]
use webpki::aws_lc_rs as provider;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use webpki::ring as provider;

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!("hybridtrust needs a crypto provider: enable the `aws-lc-rs` or `ring` feature");

/// The modern algorithms (no SHA-1).
pub(crate) static MODERN: &[&dyn SignatureVerificationAlgorithm] = &[
    provider::ECDSA_P256_SHA256,
    provider::ECDSA_P256_SHA384,
    provider::ECDSA_P384_SHA256,
    provider::ECDSA_P384_SHA384,
    provider::ED25519,
    provider::RSA_PKCS1_2048_8192_SHA256,
    provider::RSA_PKCS1_2048_8192_SHA384,
    provider::RSA_PKCS1_2048_8192_SHA512,
    provider::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    provider::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    provider::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    provider::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    provider::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    provider::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
];

/// The modern algorithms plus RSA PKCS#1 v1.5 with SHA-1 (2048-bit keys and up).
pub(crate) static WITH_SHA1: &[&dyn SignatureVerificationAlgorithm] = &[
    provider::ECDSA_P256_SHA256,
    provider::ECDSA_P256_SHA384,
    provider::ECDSA_P384_SHA256,
    provider::ECDSA_P384_SHA384,
    provider::ED25519,
    provider::RSA_PKCS1_2048_8192_SHA256,
    provider::RSA_PKCS1_2048_8192_SHA384,
    provider::RSA_PKCS1_2048_8192_SHA512,
    provider::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    provider::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    provider::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    provider::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    provider::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    provider::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    &RSA_PKCS1_SHA1,
];

/// RSA PKCS#1 v1.5 with SHA-1, delegated to the provider's legacy-use verifier.
#[derive(Debug)]
struct RsaPkcs1Sha1;

static RSA_PKCS1_SHA1: RsaPkcs1Sha1 = RsaPkcs1Sha1;

/// sha1WithRSAEncryption (1.2.840.113549.1.1.5) with NULL parameters, without the outer SEQUENCE.
const SHA1_WITH_RSA: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
]);

impl SignatureVerificationAlgorithm for RsaPkcs1Sha1 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        #[cfg(feature = "aws-lc-rs")]
        use aws_lc_rs::signature;
        #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
        use ring::signature;
        signature::UnparsedPublicKey::new(
            &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            public_key,
        )
        .verify(message, signature)
        .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        pki_types::alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        SHA1_WITH_RSA
    }
}
