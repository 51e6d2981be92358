"""Native API (/api/v1): creators, Business Centers, operators and the sandbox; Bearer tokens,
HTTP statuses, `{"error": {code, message, cause, solution}}` bodies."""
