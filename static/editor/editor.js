"use strict";
// Small additions to the Markdown editor (django-markdownx) in the admin:
// - when the server refuses an image, say why, instead of markdownx's "Invalid response"
//   typed into the article;
// - an "Add an image" button, for those who cannot drag and drop or paste;
// - the preview drawn with the site's own stylesheet (static/css/site.css, served for a
//   preview box at /editor/preview.css), inside a shadow root so it cannot restyle the
//   admin around it, nor the admin it;
// - the "Formatting help" panel (rendered by the server in the fieldset's description)
//   moved beside the editor.
(function () {
  const PREVIEW_CSS = "/editor/preview.css";

  function styledPreview(container) {
    const preview = container.querySelector(".markdownx-preview");
    if (!preview || !preview.attachShadow) return;
    const host = document.createElement("div");
    host.className = "editor-preview";
    host.setAttribute("role", "region");
    host.setAttribute("aria-label", "Preview: as visitors will see it");
    const root = host.attachShadow({ mode: "open" });
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = PREVIEW_CSS;
    const page = document.createElement("div");
    page.className = "prose";
    root.append(sheet, page);
    function copy() {
      // The HTML comes from our own render-and-sanitise endpoint, as on the site.
      page.innerHTML = preview.innerHTML;
    }
    new MutationObserver(copy).observe(preview, { childList: true, subtree: true, characterData: true });
    copy();
    preview.classList.add("editor-preview-source");
    preview.after(host);
  }

  function moveHelp(container) {
    const row = container.closest("fieldset");
    const help = row && row.querySelector(".editor-help");
    if (help && !container.querySelector(".editor-help")) {
      container.prepend(help);
    }
  }

  // Below the editor and the preview, inside markdownx's own box (see editor.css).
  function extras(container) {
    let box = container.querySelector(".editor-extras");
    if (!box) {
      box = document.createElement("div");
      box.className = "editor-extras";
      container.appendChild(box);
    }
    return box;
  }

  function statusLine(container) {
    let line = container.querySelector(".editor-status");
    if (!line) {
      line = document.createElement("p");
      line.className = "editor-status";
      line.setAttribute("role", "status");
      extras(container).appendChild(line);
    }
    return line;
  }

  function say(container, text, isError) {
    const line = statusLine(container);
    line.textContent = text;
    line.classList.toggle("errornote", isError);
  }

  function reasonFrom(detail) {
    const response = detail && detail[0];
    if (response && typeof response === "object" && response.error) return response.error;
    return "The image could not be uploaded. Please check your connection and try again.";
  }

  function onUploadRefused(container, editor) {
    return function (event) {
      // markdownx types "Invalid response" into the text right after this event:
      // put the text back as it was once it has done so.
      const text = editor.value;
      const start = editor.selectionStart;
      const end = editor.selectionEnd;
      window.setTimeout(function () {
        editor.value = text;
        editor.setSelectionRange(start, end);
        editor.dispatchEvent(new Event("input"));
        say(container, reasonFrom(event.detail), true);
      }, 0);
    };
  }

  function sendAsDrop(editor, file) {
    if (document.activeElement !== editor) {
      // Not clicked into yet: add the image as a paragraph of its own at the end,
      // rather than before the first heading.
      if (editor.value.trim() !== "") {
        editor.value = editor.value.replace(/\s*$/, "\n\n");
      }
      editor.setSelectionRange(editor.value.length, editor.value.length);
    }
    const transfer = new DataTransfer();
    transfer.items.add(file);
    editor.dispatchEvent(
      new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
    );
  }

  function addImageButton(container, editor) {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/webp";
    input.id = editor.id + "_image";
    input.className = "editor-image-input";
    const label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "button editor-image-button";
    label.textContent = "Add an image (JPEG, PNG or WebP, up to 5 MB)";
    input.addEventListener("change", function () {
      Array.from(input.files).forEach(function (file) {
        say(container, "Uploading " + file.name + "…", false);
        sendAsDrop(editor, file);
      });
      input.value = "";
    });
    const row = document.createElement("p");
    row.className = "editor-image-row";
    row.append(input, label);
    extras(container).prepend(row);
  }

  function enhance(container) {
    const editor = container.querySelector("textarea");
    if (!editor) return;
    const refused = onUploadRefused(container, editor);
    container.addEventListener("markdownx.fileUploadError", refused);
    container.addEventListener("fileUploadError", refused); // network failure
    container.addEventListener("markdownx.fileUploadEnd", function () {
      say(container, "Image added. Please replace the words in square brackets with a short description of it.", false);
    });
    addImageButton(container, editor);
    styledPreview(container);
    moveHelp(container);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".markdownx").forEach(enhance);
  });
})();
