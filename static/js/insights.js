/* Content insights, on every public page (insights/ in the code; the privacy notice says
   what is kept).
   1. Counts this page view: one small post to this site with the page's address, and
      nothing else: no cookie (not even one the browser has), no identifier, no time. The page
      itself may come from a cache; this request never does.
   2. "Was this page helpful?": answers in place instead of going to the thank-you page,
      then offers the optional comment box. Without this script the forms still work. */
(function () {
  "use strict";
  var script = document.currentScript;
  var countUrl = script && script.getAttribute("data-count-url");
  if (countUrl && window.fetch) {
    // credentials "omit": not even a cookie the browser holds for this site goes with it.
    // keepalive: still sent if the reader leaves the page at once.
    fetch(countUrl, {
      method: "POST",
      body: location.pathname,
      credentials: "omit",
      keepalive: true,
      cache: "no-store"
    }).catch(function () {});
  }

  var widget = document.querySelector("[data-page-feedback]");
  if (!widget || !window.fetch || !window.FormData) {
    return;
  }
  var answerForm = widget.querySelector(".page-feedback-answer");
  var commentForm = widget.querySelector("[data-feedback-comment]");
  var status = widget.querySelector("[data-feedback-status]");
  // In the page's language (templates/includes/page_feedback.html).
  var sorry = widget.getAttribute("data-sorry") || "Sorry, we could not save that. Please try again later.";

  function send(form, extra) {
    var data = new FormData(form);
    Object.keys(extra).forEach(function (name) {
      data.set(name, extra[name]);
    });
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "omit", // the answer needs no cookie, so none is sent
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, message: body.message || sorry };
      });
    }).catch(function () {
      return { ok: false, message: sorry };
    });
  }

  answerForm.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.value) {
      return; // an old browser without event.submitter: let the plain post go
    }
    event.preventDefault();
    var answer = button.value;
    answerForm.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    send(answerForm, { helpful: answer }).then(function (result) {
      status.textContent = result.message;
      if (result.ok) {
        answerForm.hidden = true;
        commentForm.elements.helpful.value = answer;
        commentForm.hidden = false;
      } else {
        answerForm.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      }
    });
  });

  commentForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = commentForm.elements.comment.value.trim();
    if (!text) {
      commentForm.elements.comment.focus();
      return;
    }
    var button = commentForm.querySelector("button");
    button.disabled = true;
    send(commentForm, {}).then(function (result) {
      status.textContent = result.message;
      if (result.ok) {
        commentForm.hidden = true;
      } else {
        button.disabled = false;
      }
    });
  });
})();
