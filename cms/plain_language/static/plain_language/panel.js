/* Leichte Sprache panel for the Wagtail page editor.
 *
 * Collects the text a reader will see from the edit form (text fields, text
 * areas, Draftail rich text in document order), sends it to the check endpoint
 * 400 ms after typing stops and lists the findings sentence by sentence. The
 * endpoint says whether the page is in de-x-ls; otherwise nothing is shown.
 */
(function () {
  "use strict";

  const SKIP = /(^|-)(slug|seo_title|search_description|go_live_at|expire_at|number|year_of_arrival|reference|url|email|phone|date|type|order|deleted|id)$/;

  function pageId() {
    const match = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
    return match ? Number(match[1]) : null;
  }

  function collectText(form) {
    const lines = [];
    const nodes = form.querySelectorAll(
      "input[type=text], textarea, .public-DraftEditor-content"
    );
    nodes.forEach(function (node) {
      if (node.classList.contains("public-DraftEditor-content")) {
        node.querySelectorAll("[data-block=true]").forEach(function (block) {
          const text = block.innerText.trim();
          if (text) lines.push(text);
        });
        return;
      }
      if (node.closest(".Draftail-Editor")) return;
      if (node.name && SKIP.test(node.name)) return;
      const value = (node.value || "").trim();
      if (value) lines.push(value);
    });
    return lines.join("\n");
  }

  // wagtail-localize's translation editor: each segment is a list item with its
  // source text in a <p> and, while it is being edited, a <textarea>. Its
  // markup has no stable ids, so the source text names the segment.
  function openSegments(editor) {
    const open = [];
    editor.querySelectorAll("li textarea").forEach(function (area) {
      const source = area.closest("li").querySelector(":scope > p");
      if (source) open.push({ source: source.textContent, text: area.value });
    });
    return open;
  }

  function csrfToken() {
    if (window.wagtailConfig && window.wagtailConfig.CSRF_TOKEN) {
      return window.wagtailConfig.CSRF_TOKEN;
    }
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function buildPanel(config, anchor) {
    const panel = document.createElement("section");
    panel.id = "plain-language-panel";
    panel.className = "plain-language-panel";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-labelledby", "plain-language-heading");
    panel.style.cssText =
      "margin:1rem 0;padding:1rem 1.25rem;border:2px solid var(--w-color-border-furniture, #ccc);" +
      "border-radius:6px;background:var(--w-color-surface-page, #fff);max-height:24rem;overflow:auto";
    const heading = document.createElement("h2");
    heading.id = "plain-language-heading";
    heading.className = "w-h3";
    heading.textContent = config.strings.heading;
    const summary = document.createElement("p");
    summary.className = "plain-language-summary";
    const list = document.createElement("ol");
    list.className = "plain-language-findings";
    list.setAttribute("aria-live", "polite");
    panel.append(heading, summary, list);
    anchor.parentNode.insertBefore(panel, anchor);
    return { panel: panel, summary: summary, list: list };
  }

  function render(ui, config, data) {
    const s = config.strings;
    const bySentence = new Map();
    data.findings.forEach(function (f) {
      if (!bySentence.has(f.sentence_index)) bySentence.set(f.sentence_index, []);
      bySentence.get(f.sentence_index).push(f);
    });
    const sc = data.scores;
    ui.summary.textContent = s.summary
      .replace("{findings}", data.findings.length)
      .replace("{flagged}", bySentence.size)
      .replace("{sentences}", sc.sentences)
      .replace("{flesch}", sc.flesch_amstad)
      .replace("{mean}", sc.mean_sentence_length);
    ui.list.replaceChildren();
    if (!data.findings.length) {
      const li = document.createElement("li");
      li.textContent = s.clean;
      ui.list.append(li);
      return;
    }
    bySentence.forEach(function (findings, index) {
      const li = document.createElement("li");
      li.dataset.sentence = index;
      const quote = document.createElement("p");
      quote.style.fontWeight = "bold";
      quote.textContent = data.sentences[index].text;
      const items = document.createElement("ul");
      findings.forEach(function (f) {
        const item = document.createElement("li");
        item.dataset.rule = f.rule;
        item.dataset.severity = f.severity;
        item.textContent = (f.severity === "error" ? s.error : s.warning) + ": " + f.message;
        items.append(item);
      });
      li.append(quote, items);
      ui.list.append(li);
    });
  }

  function start() {
    const form = document.getElementById("page-edit-form");
    // wagtail-localize's translation editor (synced translations) has no form: it
    // saves each segment; the endpoint reads the saved segments and takes the
    // open text areas' unsaved text for theirs.
    const translationEditor = form ? null : document.querySelector(".js-translation-editor");
    const anchor = form || translationEditor;
    const configNode = document.getElementById("plain-language-config");
    if (!anchor || !configNode) return;
    const config = JSON.parse(configNode.textContent);
    const id = pageId();
    let ui = null;
    let timer = null;
    let sequence = 0;

    function check() {
      const mine = ++sequence;
      fetch(config.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(
          form
            ? { text: collectText(form), page_id: id }
            : { source: "translation", page_id: id, editing: openSegments(translationEditor) }
        ),
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (answer) {
          if (mine !== sequence) return; // a newer check is under way
          if (answer.ok && answer.data.applies === false) {
            if (ui) ui.panel.remove();
            ui = null;
            stop();
            return;
          }
          ui = ui || buildPanel(config, anchor);
          if (!answer.ok) {
            ui.summary.textContent = config.strings.failed + " " + answer.data.error;
            return;
          }
          render(ui, config, answer.data);
        })
        .catch(function (error) {
          if (ui) ui.summary.textContent = config.strings.failed + " " + error;
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, config.debounceMs);
    }

    let observer = null;
    function stop() {
      if (form) {
        form.removeEventListener("input", schedule);
        form.removeEventListener("keyup", schedule);
      }
      if (observer) observer.disconnect();
      if (translationEditor) translationEditor.removeEventListener("input", schedule);
    }
    if (form) {
      // Draftail (Draft.js) handles typing itself; keyup catches what "input" misses.
      form.addEventListener("input", schedule);
      form.addEventListener("keyup", schedule);
    } else {
      // Saving a segment changes the markup; typing into a text area does not,
      // but its "input" event bubbles up to the editor root.
      observer = new MutationObserver(schedule);
      observer.observe(translationEditor, { subtree: true, childList: true, characterData: true });
      translationEditor.addEventListener("input", schedule);
    }
    check();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
