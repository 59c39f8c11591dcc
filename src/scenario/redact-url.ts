// Proxy URLs: which are usable, and how any URL that may carry a password is shown with the password masked.

/** Whether `value` is a proxy URL mqttprobe can use (http, https or socks, with a host), or `none`. */
export function isProxyUrl(value: string): boolean {
  if (value === 'none') return true;
  try {
    const url = new URL(value);
    return (
      ['http:', 'https:', 'socks:', 'socks4:', 'socks5:', 'socks5h:'].includes(url.protocol) &&
      url.hostname !== ''
    );
  } catch {
    // Not a URL at all: the caller says so (the schema through its refinement's message).
    return false;
  }
}

/** The URL with any password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '[invalid URL]';
  }
}

/** `scheme://user:PASSWORD@` in free text, parsable or not (an unclosed `[::1`, say); group 1 is the password. */
export const URL_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:(\S*)@/gi;

/** Masks the password of every URL-like text, so even an invalid proxy URL can be quoted in an error message. */
export function redactUrlsInText(text: string): string {
  return text.replace(URL_PASSWORD, (all, password: string) =>
    password ? `${all.slice(0, all.length - password.length - 1)}***@` : all,
  );
}
