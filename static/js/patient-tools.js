/* The patient's own tools: /check-your-mood/ (the PHQ-9) and /questions-for-your-consultation/.
   Everything happens on this page: no request, no cookie, no storage. The answers are read
   from the radio buttons, the points from their values and the bands from the scoring table
   the page prints (patient_tools/phq9.py), so nothing is written twice. Without this script
   the mood page is a questionnaire to print and add up by hand, and printing works from the
   browser's own menu. */
(function () {
  "use strict";

  // "Print" buttons: hidden in the page, since without this script they could do nothing.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var phq = document.querySelector("[data-phq]");
  if (!phq) {
    return;
  }
  var questions = Array.prototype.slice.call(phq.querySelectorAll("[data-phq-question]"));
  var selfHarm = phq.querySelector("[data-phq-self-harm]");
  var crisis = document.getElementById("phq-crisis");
  var result = document.getElementById("phq-result");
  var progress = result.querySelector("[data-phq-progress]");
  var count = result.querySelector("[data-phq-count]");
  var outcome = result.querySelector("[data-phq-outcome]");
  var crisisFirst = result.querySelector("[data-phq-crisis-first]");
  var cleared = result.querySelector("[data-phq-cleared]");
  var bands = Array.prototype.map.call(phq.querySelectorAll("[data-band-low]"), function (row) {
    return {
      low: Number(row.getAttribute("data-band-low")),
      high: Number(row.getAttribute("data-band-high")),
      name: row.querySelector("[data-band-name]").textContent,
      meaning: row.querySelector("[data-band-meaning]").textContent,
      next: row.querySelector("[data-band-next]").textContent
    };
  });

  function points(fieldset) {
    var checked = fieldset.querySelector("input:checked");
    return checked ? Number(checked.value) : null;
  }

  function showCrisis(scroll) {
    if (!crisis.hidden) {
      return;
    }
    crisis.hidden = false; // inside an aria-live region: screen readers announce it
    if (scroll) {
      crisis.scrollIntoView({ block: "start" });
    }
  }

  function update(scroll) {
    // Question 9 first, before anything about a score. Once shown, the card stays until
    // the answers are cleared: changing the answer never takes the help away.
    var selfHarmPoints = points(selfHarm);
    if (selfHarmPoints !== null && selfHarmPoints > 0) {
      showCrisis(scroll);
    }

    var answers = questions.map(points).filter(function (value) {
      return value !== null;
    });
    count.textContent = String(answers.length);
    if (answers.length < questions.length) {
      progress.hidden = false;
      outcome.hidden = true;
      return;
    }
    var total = answers.reduce(function (sum, value) {
      return sum + value;
    }, 0);
    var band = bands.filter(function (b) {
      return b.low <= total && total <= b.high;
    })[0];
    crisisFirst.hidden = crisis.hidden;
    outcome.querySelector("[data-phq-score]").textContent = String(total);
    outcome.querySelector("[data-phq-band-name]").textContent =
      band.name + " (" + band.low + " to " + band.high + ").";
    outcome.querySelector("[data-phq-meaning]").textContent = band.meaning + " " + band.next;
    progress.hidden = true;
    outcome.hidden = false;
  }

  phq.addEventListener("change", function (event) {
    if (event.target.matches("input[type=radio]")) {
      cleared.textContent = "";
      update(true);
    }
  });

  phq.querySelector("[data-phq-clear]").addEventListener("click", function () {
    phq.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.checked = false;
    });
    crisis.hidden = true;
    update(false);
    cleared.textContent = "Your answers are cleared.";
  });

  result.hidden = false;
  phq.querySelector("[data-phq-by-hand]").hidden = true;
  update(false); // answers the browser kept when coming back to the page
})();
