/* Contact form: shows the emergency care card while the message suggests a crisis.
   The phrases come from the page (inquiries/crisis.py, the one list); they are matched here
   exactly as the server matches them. Nothing is sent anywhere and nothing in the form is
   changed: the card is only shown or hidden. Without this script the sent page shows it. */
(function () {
  "use strict";
  var data = document.getElementById("crisis-phrases");
  var card = document.getElementById("care-card-typing");
  var message = document.getElementById("id_message");
  if (!data || !card || !message) {
    return;
  }
  var lists;
  try {
    lists = JSON.parse(data.textContent);
  } catch (error) {
    return;
  }
  var apostrophes = /['\u2018\u2019\u02bc\u0060\u00b4]/g;
  var notLettersOrDigits = /[^\p{L}\p{N}]+/gu;

  function normalize(text) {
    text = text.toLowerCase().replace(apostrophes, "");
    return " " + text.replace(notLettersOrDigits, " ").trim() + " ";
  }

  var crisis = lists.crisis.map(normalize);
  var notCrisis = lists.notCrisis.map(normalize);

  function suggestsCrisis(text) {
    var normalized = normalize(text);
    notCrisis.forEach(function (phrase) {
      while (normalized.indexOf(phrase) !== -1) {
        normalized = normalized.split(phrase).join(" | ");
      }
    });
    return crisis.some(function (phrase) {
      return normalized.indexOf(phrase) !== -1;
    });
  }

  function update() {
    var show = suggestsCrisis(message.value);
    if (card.hidden === show) {
      card.hidden = !show;
    }
  }

  message.addEventListener("input", update);
  update(); // a message kept after an error, or restored by the browser
})();
