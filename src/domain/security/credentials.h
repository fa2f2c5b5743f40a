// Passwords and session tokens. Passwords are hashed with Argon2id
// (libsodium's crypto_pwhash_str, interactive limits); session tokens are 256
// random bits shown to the client once and stored only as their SHA-256.
// Thread-safe after InitCrypto() (called once at start-up).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace caredesk {

// Initialises libsodium; returns an error if the library cannot start.
Status InitCrypto();

// Password policy: 10 to 200 characters. Error names the field "password".
Status CheckPasswordPolicy(std::string_view password);
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

// A fresh opaque token ("cd_" + 43 base64url characters).
std::string NewSessionToken();
// Hex SHA-256, used to store and look up session tokens.
std::string Sha256Hex(std::string_view data);
// Random URL-safe identifier of `bytes` random bytes (telehealth links etc.).
std::string RandomToken(size_t bytes);

}  // namespace caredesk
