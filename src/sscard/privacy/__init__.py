"""Personal data at rest: AES-GCM encryption with key rotation, and keyed HMAC digests for look-up."""
