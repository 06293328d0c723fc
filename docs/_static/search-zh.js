/*
 * Chinese queries for Sphinx's search (loaded on every page of the book).
 *
 * The index is cut into words by jieba at build time, but the browser only splits a
 * query at spaces and punctuation, so a phrase such as "随机梯度下降的学习率" is one
 * "word" that matches nothing.  This splitQuery replaces Sphinx's default: a run of
 * Chinese characters that is not itself an index term is cut by forward maximum
 * matching against the index's own vocabulary (the words jieba found in the book);
 * single characters that are not terms (的, 和, ...) are dropped.  Everything else is
 * split exactly as Sphinx does.
 */
"use strict";

window.splitQuery = function splitQuery(query) {
  const parts = query
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
  const index = typeof Search !== "undefined" ? Search._index : null;
  if (!index) return parts;
  const has = (table, word) => Object.prototype.hasOwnProperty.call(table, word);
  const known = (word) => {
    const lower = word.toLowerCase();
    return has(index.terms, lower) || has(index.titleterms, lower);
  };
  const longest = 8; // longer than any word jieba keeps
  const words = [];
  for (const part of parts) {
    if (known(part)) {
      words.push(part);
      continue;
    }
    // "tanh函数" -> "tanh", "函数": Latin runs pass as they are, Chinese runs are cut.
    for (const run of part.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu)) {
      if (!/\p{Script=Han}/u.test(run) || known(run)) {
        words.push(run);
        continue;
      }
      let start = 0;
      while (start < run.length) {
        let end = Math.min(run.length, start + longest);
        while (end > start + 1 && !known(run.slice(start, end))) end -= 1;
        const word = run.slice(start, end);
        if (known(word)) words.push(word);
        start = end;
      }
    }
  }
  return words.length ? words : parts;
};

// A copy opened from disk (file://) may not fetch() its own pages, which Sphinx does
// to show a snippet under each search result: list the results without snippets.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
