/** Keys that appear in URLs: lowercase, digits, "-" and "_", 1 to 64 characters. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
