/** `text` as a regular expression that matches it literally (`pg.js` → `pg\.js`). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
