// Leichte Sprache: Strg+. (Ctrl+.) types the Mediopunkt "·" that splits a long
// word (Bürger·meister), in every text field of the admin: titles, rich text
// (Draftail) and wagtail-localize's translation editor alike. insertText goes
// through the browser's editing pipeline, so the editors see a normal input.
document.addEventListener("keydown", (event) => {
  if (!event.ctrlKey || event.altKey || event.metaKey || event.key !== ".") {
    return;
  }
  const target = event.target;
  const editable =
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLElement && target.isContentEditable);
  if (!editable) {
    return;
  }
  event.preventDefault();
  document.execCommand("insertText", false, "\u00b7");
});
