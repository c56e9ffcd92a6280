// wagtail-localize's translation editor writes a few English words into the page
// without passing them through gettext ("Deutsch to English translation", the
// screen reader label "More actions"). This puts the admin's own wording in their
// place; the words come from the project's catalogue (translators-editor-strings).
(function () {
  "use strict";
  const config = JSON.parse(
    document.getElementById("translators-editor-strings").textContent
  );
  const HEADING = /^(.+) to (.+) translation$/;

  // Writes only a text that differs: every write is a mutation the observer below
  // sees, and rewriting an equal text (the English admin) would never settle.
  function replaceText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function translate(root) {
    root.querySelectorAll("section h3").forEach((heading) => {
      const match = HEADING.exec(heading.textContent.trim());
      if (match && heading.childElementCount === 0) {
        replaceText(
          heading,
          config.heading.replace("{source}", match[1]).replace("{target}", match[2])
        );
      }
    });
    root.querySelectorAll(".w-dropdown__toggle > .w-sr-only").forEach((label) => {
      if (label.textContent.trim() === "More actions") {
        replaceText(label, config.moreActions);
      }
    });
  }

  function start() {
    const editor = document.querySelector(".js-translation-editor");
    if (!editor) return; // another editor view: nothing of wagtail-localize's
    // React renders after this script runs and re-renders parts later.
    new MutationObserver(() => translate(editor)).observe(editor, {
      childList: true,
      subtree: true,
    });
    translate(editor);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
