-- Tokens issued for other systems (POST /api/v1/system-tokens, caredesk token issue) are sessions with SMART
-- scopes ("system/*.read user/Patient.read"): NULL for a user's own sign-in, which its role alone governs.
ALTER TABLE sessions ADD COLUMN scopes TEXT;
