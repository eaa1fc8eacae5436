/* Contact form: shows the emergency care card while the message suggests a crisis.
   The patterns come from the page (content/crisis-phrases.yaml, read by clinic/crisis.py,
   the one list); text is normalised here with exactly the server's steps (see
   clinic/crisis.py), and tests run this file under node against the server's table.
   Nothing is sent anywhere and nothing in the form is changed: the card is only shown or
   hidden. Without this script the sent page shows it. */
(function () {
  "use strict";
  // Accents and tildes once split from their letter (NFD), as clinic/crisis.py's ACCENTS.
  var accents = /[\u0300-\u036f]+/g;
  var apostrophes = /['\u2018\u2019\u02bc\u0060\u00b4]/g;
  var sentenceEnd =
    /([^ \t\n\r\f\v\u00a0\u2028\u2029.!?;]{2})[.!?;]+(?=[ \t\n\r\f\v\u00a0\u2028\u2029])|\n/g;
  var sentenceMark = "\u00b6";
  var notKept = /[^\p{L}\p{N}@$\u00b6]+/gu;
  var spacedLetters = / ((?:[^ \u00b6] ){2,}[^ \u00b6])(?= )/gu;
  var asciiWord = /[a-z0-9@$]+/g;
  var hasLetter = /[a-z]/;
  var letterFor = { 0: "o", 1: "i", 3: "e", 4: "a", 5: "s", 7: "t", "@": "a", $: "s" };

  function asLetters(word) {
    if (!hasLetter.test(word)) {
      return word;
    }
    return word.replace(/[0-9@$]/g, function (sign) {
      return letterFor[sign] || sign;
    });
  }

  function foldAccents(text) {
    return text.normalize("NFD").replace(accents, "").normalize("NFC");
  }

  function baseNormalize(text) {
    text = foldAccents(text.toLowerCase()).replace(apostrophes, "");
    text = (text + " ").replace(sentenceEnd, "$1 " + sentenceMark + " ");
    text = " " + text.replace(notKept, " ").trim() + " ";
    text = text.replace(spacedLetters, function (all, letters) {
      return " " + letters.split(" ").join("");
    });
    return text.replace(asciiWord, asLetters);
  }

  function spans(pattern, text) {
    var found = [];
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      found.push([match.index, match.index + match[0].length]);
    }
    return found;
  }

  /* lists: {crisis, notCrisis, sameAs} as clinic/crisis.py's phrases_for_script gives them. */
  function makeMatcher(lists) {
    function compile(source) {
      return new RegExp(source, "gu");
    }
    var crisis = lists.crisis.map(compile);
    var notCrisis = lists.notCrisis.map(compile);
    var sameAs = lists.sameAs.map(function (pair) {
      return [compile(pair[0]), pair[1]];
    });

    function normalize(text) {
      text = baseNormalize(text);
      sameAs.forEach(function (pair) {
        text = text.replace(pair[0], pair[1]);
      });
      return text;
    }

    function suggestsCrisis(text) {
      var normalized = normalize(text);
      var quiet = [];
      notCrisis.forEach(function (pattern) {
        quiet = quiet.concat(spans(pattern, normalized));
      });
      return crisis.some(function (pattern) {
        return spans(pattern, normalized).some(function (span) {
          return !quiet.some(function (q) {
            return q[0] <= span[0] && span[1] <= q[1];
          });
        });
      });
    }

    return { normalize: normalize, suggestsCrisis: suggestsCrisis };
  }

  // Under node (the tests), only the matcher.
  if (typeof module === "object" && module.exports) {
    module.exports = { makeMatcher: makeMatcher };
    return;
  }

  var data = document.getElementById("crisis-phrases");
  var card = document.getElementById("care-card-typing");
  var message = document.getElementById("id_message");
  if (!data || !card || !message) {
    return;
  }
  var matcher;
  try {
    matcher = makeMatcher(JSON.parse(data.textContent));
  } catch (error) {
    return; // the sent page still shows the card
  }

  function update() {
    var show = matcher.suggestsCrisis(message.value);
    if (card.hidden === show) {
      card.hidden = !show;
    }
  }

  message.addEventListener("input", update);
  update(); // a message kept after an error, or restored by the browser
})();
