/** Issue 15, item 7: source URLs become links only when they are http(s); the rest is shown as text. */
import { describe, expect, it } from 'vitest';
import { httpUrl } from '../../src/core/links.js';
import { sourceText } from '../../src/stabilize/brief.js';

const HOSTILE = ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', '//evil.example/x', '/relative', 'https:evil.example', 'http//x', 'not a url'];

describe('httpUrl', () => {
  it('keeps absolute http and https URLs', () => {
    expect(httpUrl('https://www.example.org/a?b=1#c')).toBe('https://www.example.org/a?b=1#c');
    expect(httpUrl('HTTP://Example.org')).toBe('http://example.org/');
  });
  it.each(HOSTILE)('gives null for %j', (u) => expect(httpUrl(u)).toBeNull());
});

describe('a briefing source', () => {
  it('links an https URL', () => {
    expect(sourceText({ name: 'UNHCR', url: 'https://data.unhcr.org/x' })).toContain('<a href="https://data.unhcr.org/x">');
  });
  it.each(HOSTILE)('shows %j as text, not a link', (url) => {
    const html = sourceText({ name: 'a source', url });
    expect(html).not.toContain('<a');
    expect(html).not.toMatch(/href/i);
    expect(html).toContain('a source');
  });
});
