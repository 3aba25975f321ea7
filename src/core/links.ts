/**
 * Links to sources: only http(s) URLs become links. Anything else (javascript:, data:, vbscript:, a
 * relative path, text that is not a URL) is shown as text, so a source URL typed into a record cannot run
 * script in the web app or a briefing. Shared by the briefings (src/stabilize/brief.ts) and the web app.
 */

/** The URL, normalized, if it is an absolute http: or https: URL; else null (show it as text). */
export function httpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const s = url.trim();
  // A scheme is spelled out before parsing: the URL parser would quietly strip tabs and newlines in it.
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
