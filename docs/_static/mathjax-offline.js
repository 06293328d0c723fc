/*
 * Runs after Sphinx's inline `window.MathJax = {...}` and before MathJax itself
 * (both scripts are deferred; conf.py gives this one the lower priority).
 *
 * A copy of the book opened from disk (file://) cannot start Web Workers, and
 * MathJax 4 generates its speech and Braille strings in one.  There, switch those
 * two assistive outputs off (the menu settings decide whether MathJax starts them)
 * instead of failing with a console error; formulas render the same.  Served over
 * http(s) nothing changes.
 */
"use strict";

if (window.MathJax && window.location.protocol === "file:") {
  const options = (window.MathJax.options = window.MathJax.options || {});
  const menu = (options.menuOptions = options.menuOptions || {});
  menu.settings = Object.assign(menu.settings || {}, { speech: false, braille: false });
}
