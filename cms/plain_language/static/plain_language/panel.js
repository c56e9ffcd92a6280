/* Leichte Sprache panel for the Wagtail page editor.
 *
 * Collects the text a reader will see from the edit form (text fields, text
 * areas, Draftail rich text in document order), remembers which field each piece
 * comes from, sends the text to the check endpoint 400 ms after typing stops and
 * lists the findings by field, then by sentence. The panel floats at the bottom
 * right of the window, so it stays in view while the writer scrolls; clicking a
 * finding scrolls to its field and marks the sentence there. The endpoint says
 * whether the page is in de-x-ls; otherwise nothing is shown.
 */
(function () {
  "use strict";

  const SKIP = /(^|-)(slug|seo_title|search_description|go_live_at|expire_at|number|year_of_arrival|reference|url|email|phone|date|type|order|deleted|id)$/;
  const HIGHLIGHT = "plain-language-sentence";

  function pageId() {
    const match = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
    return match ? Number(match[1]) : null;
  }

  function text(node) {
    return (node && node.textContent ? node.textContent : "").replace(/\s+/g, " ").trim();
  }

  // A label without the required-field mark ("Titel*" → "Titel").
  function labelText(node) {
    return text(node).replace(/\s*\*$/, "");
  }

  // The name a writer sees for the field around ``node``: its label, or the
  // heading of the panel or block it sits in.
  function fieldLabel(node) {
    if (node.id) {
      const label = document.querySelector('label[for="' + node.id + '"]');
      if (label && labelText(label)) return labelText(label);
    }
    const wrapper = node.closest("[data-field-wrapper], .w-field__wrapper, .w-field");
    if (wrapper) {
      const label = wrapper.querySelector("label, .w-field__label");
      if (label && labelText(label)) return labelText(label);
    }
    const panel = node.closest("section, .w-panel");
    if (panel) {
      const heading = panel.querySelector("h2, .w-panel__heading, [data-panel-heading-text]");
      if (heading && labelText(heading)) return labelText(heading);
    }
    return null;
  }

  // The reader's text, one line per field value or rich-text block, and where
  // each line came from: {start, end, offset, node, block, label}.
  function collectText(form) {
    const lines = [];
    const pieces = [];
    let position = 0;
    function add(value, node, block) {
      const trimmed = value.trim();
      if (!trimmed) return;
      pieces.push({
        start: position,
        end: position + trimmed.length,
        offset: value.indexOf(trimmed),
        node: node,
        block: block,
        label: fieldLabel(node),
      });
      lines.push(trimmed);
      position += trimmed.length + 1;
    }
    const nodes = form.querySelectorAll(
      "input[type=text], textarea, .public-DraftEditor-content"
    );
    nodes.forEach(function (node) {
      if (node.classList.contains("public-DraftEditor-content")) {
        node.querySelectorAll("[data-block=true]").forEach(function (block) {
          add(block.innerText, node, block);
        });
        return;
      }
      if (node.closest(".Draftail-Editor")) return;
      if (node.name && SKIP.test(node.name)) return;
      add(node.value || "", node, null);
    });
    return { text: lines.join("\n"), pieces: pieces };
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

  function addStyles() {
    if (document.getElementById("plain-language-styles")) return;
    const style = document.createElement("style");
    style.id = "plain-language-styles";
    style.textContent =
      ".plain-language-panel{position:fixed;right:1rem;bottom:1rem;z-index:300;" +
      "width:min(30rem,calc(100vw - 2rem));max-height:45vh;overflow:auto;" +
      "padding:.75rem 1rem;border:2px solid var(--w-color-border-furniture,#ccc);" +
      "border-radius:6px;background:var(--w-color-surface-page,#fff);" +
      "box-shadow:0 4px 16px rgba(0,0,0,.2)}" +
      ".plain-language-panel[data-collapsed=true] .plain-language-body{display:none}" +
      ".plain-language-panel h2{margin:0 0 .5rem;display:flex;gap:.5rem;align-items:center;justify-content:space-between}" +
      ".plain-language-panel h3{font-size:1rem;margin:.75rem 0 .25rem}" +
      ".plain-language-panel button.plain-language-finding{all:unset;cursor:pointer;display:block;text-decoration:underline dotted}" +
      ".plain-language-panel button.plain-language-finding:focus-visible{outline:3px solid var(--w-color-focus,#262626)}" +
      ".plain-language-flash{outline:3px solid #e9b04d !important;outline-offset:2px}" +
      "::highlight(" + HIGHLIGHT + "){background-color:#ffe08a;color:inherit}" +
      ".plain-language-status{display:inline-block;margin:.25rem 0;padding:.1rem .5rem;border-radius:3px;" +
      "background:#fff3cd;color:#5c4400;font-weight:600}";
    document.head.append(style);
  }

  function buildPanel(config, anchor) {
    addStyles();
    const panel = document.createElement("section");
    panel.id = "plain-language-panel";
    panel.className = "plain-language-panel";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-labelledby", "plain-language-heading");
    const heading = document.createElement("h2");
    heading.className = "w-h3";
    const title = document.createElement("span");
    title.id = "plain-language-heading";
    title.textContent = config.strings.heading;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "button button-small button-secondary";
    toggle.setAttribute("aria-expanded", "true");
    toggle.setAttribute("aria-controls", "plain-language-body");
    toggle.textContent = config.strings.collapse;
    toggle.addEventListener("click", function () {
      const collapsed = panel.dataset.collapsed === "true";
      panel.dataset.collapsed = collapsed ? "false" : "true";
      toggle.setAttribute("aria-expanded", collapsed ? "true" : "false");
      toggle.textContent = collapsed ? config.strings.collapse : config.strings.expand;
    });
    heading.append(title, toggle);
    const body = document.createElement("div");
    body.id = "plain-language-body";
    body.className = "plain-language-body";
    const summary = document.createElement("p");
    summary.className = "plain-language-summary";
    const list = document.createElement("div");
    list.className = "plain-language-findings";
    list.setAttribute("aria-live", "polite");
    body.append(summary, list);
    panel.append(heading, body);
    anchor.parentNode.insertBefore(panel, anchor);
    return { panel: panel, summary: summary, list: list };
  }

  function pieceAt(pieces, offset) {
    for (let i = 0; i < pieces.length; i++) {
      if (offset >= pieces[i].start && offset <= pieces[i].end) return pieces[i];
    }
    return null;
  }

  // A DOM range over characters [start, end) of ``root``'s text.
  function textRange(root, start, end) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    let started = false;
    let node;
    while ((node = walker.nextNode())) {
      const length = node.textContent.length;
      if (!started && start <= seen + length) {
        range.setStart(node, Math.max(0, start - seen));
        started = true;
      }
      if (started && end <= seen + length) {
        range.setEnd(node, Math.max(0, end - seen));
        return range;
      }
      seen += length;
    }
    return started ? range : null;
  }

  function show(piece, sentence) {
    const from = piece.offset + (sentence.start - piece.start);
    const to = piece.offset + (sentence.end - piece.start);
    const target = piece.block || piece.node;
    target.scrollIntoView({ block: "center", behavior: "auto" });
    target.classList.add("plain-language-flash");
    window.setTimeout(function () {
      target.classList.remove("plain-language-flash");
    }, 2500);
    if (!piece.block) {
      piece.node.focus({ preventScroll: true });
      piece.node.setSelectionRange(from, to);
      return;
    }
    const range = textRange(piece.block, from, to);
    if (range && window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set(HIGHLIGHT, new Highlight(range));
    }
    document.body.dataset.plainLanguageHighlight = range ? range.toString() : "";
  }

  function render(ui, config, data, pieces) {
    const s = config.strings;
    const sentenceFindings = new Map();
    data.findings.forEach(function (f) {
      if (!sentenceFindings.has(f.sentence_index)) sentenceFindings.set(f.sentence_index, []);
      sentenceFindings.get(f.sentence_index).push(f);
    });
    const display = data.scores.display;
    ui.summary.textContent = s.summary
      .replace("{findings}", data.findings.length)
      .replace("{flagged}", sentenceFindings.size)
      .replace("{sentences}", display.sentences)
      .replace("{flesch}", display.flesch_amstad)
      .replace("{mean}", display.mean_sentence_length);
    ui.list.replaceChildren();
    if (!data.findings.length) {
      const p = document.createElement("p");
      p.textContent = s.clean;
      ui.list.append(p);
      return;
    }
    // Field → its sentences with findings, in the order of the form.
    const fields = new Map();
    sentenceFindings.forEach(function (findings, index) {
      const sentence = data.sentences[index];
      const piece = pieces ? pieceAt(pieces, sentence.start) : null;
      const label = piece && piece.label ? piece.label : s.otherField;
      if (!fields.has(label)) fields.set(label, []);
      fields.get(label).push({ index: index, sentence: sentence, piece: piece, findings: findings });
    });
    fields.forEach(function (entries, label) {
      const group = document.createElement("section");
      group.className = "plain-language-field";
      group.dataset.field = label;
      const heading = document.createElement("h3");
      heading.textContent = s.field.replace("{field}", label);
      const list = document.createElement("ol");
      entries.forEach(function (entry) {
        const li = document.createElement("li");
        li.dataset.sentence = entry.index;
        const quote = document.createElement(entry.piece ? "button" : "p");
        quote.style.fontWeight = "bold";
        quote.textContent = entry.sentence.text;
        if (entry.piece) {
          quote.type = "button";
          quote.className = "plain-language-finding";
          quote.title = s.show;
          quote.addEventListener("click", function () {
            show(entry.piece, entry.sentence);
          });
        }
        const items = document.createElement("ul");
        entry.findings.forEach(function (f) {
          const item = document.createElement("li");
          item.dataset.rule = f.rule;
          item.dataset.severity = f.severity;
          item.textContent = (f.severity === "error" ? s.error : s.warning) + ": " + f.message;
          items.append(item);
        });
        li.append(quote, items);
        list.append(li);
      });
      group.append(heading, list);
      ui.list.append(group);
    });
  }

  // The page header says when the page waits for the Prüfgruppe; reviewers get
  // a link to the review screen.
  function showReviewStatus(config, review) {
    let status = document.getElementById("plain-language-status");
    if (!review || !review.in_review) {
      if (status) status.remove();
      return;
    }
    if (!status) {
      addStyles();
      const title = document.querySelector("header h1, #header-title");
      if (!title) return;
      status = document.createElement("p");
      status.id = "plain-language-status";
      status.setAttribute("role", "status");
      title.insertAdjacentElement("afterend", status);
    }
    status.replaceChildren();
    const badge = document.createElement("span");
    badge.className = "plain-language-status";
    badge.textContent = review.label;
    status.append(badge);
    if (review.review_url) {
      const link = document.createElement("a");
      link.href = review.review_url;
      link.className = "button button-small";
      link.style.marginInlineStart = ".5rem";
      link.textContent = config.strings.review;
      status.append(link);
    }
  }

  // wagtail-localize's editor names its button "Publish in …"; for pages under
  // the Prüfgruppe it submits (see publishing.py), so it says so.
  function relabelTranslationPublish(config, editor, review) {
    if (!editor || !review || !review.needs_review) return;
    editor.querySelectorAll("button").forEach(function (button) {
      if (/^(Veröffentlichen in|Publish in)/.test(text(button))) {
        button.textContent = config.strings.submit;
      }
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
      const collected = form ? collectText(form) : null;
      fetch(config.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(
          form
            ? { text: collected.text, page_id: id }
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
            // The one error shape: {"error": {"status", "code", "message"}}.
            const error = answer.data.error || {};
            ui.summary.textContent = config.strings.failed + " " + (error.message || "");
            return;
          }
          render(ui, config, answer.data, collected ? collected.pieces : null);
          showReviewStatus(config, answer.data.review);
          relabelTranslationPublish(config, translationEditor, answer.data.review);
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
