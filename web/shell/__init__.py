"""The web shell every audience shares: sign-in and the session hook, languages, CSRF, the
header's navigation, error pages, security headers, health, the start page and view guards."""
