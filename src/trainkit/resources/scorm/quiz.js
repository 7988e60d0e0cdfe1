/* trainkit's SCORM 1.2 quiz: marks the page's questions and reports to the LMS.
 *
 * The page carries its answer key as JSON (#tk-quiz-key). On load the script finds the
 * SCORM 1.2 API object (the standard walk up window.parent, then window.opener), calls
 * LMSInitialize and marks the attempt "incomplete" (or "completed" straight away when
 * the module has no question a machine can mark). "Check my answers" marks every
 * question, shows the feedback, and reports cmi.core.score.raw/min/max (a percentage)
 * and cmi.core.lesson_status ("passed" or "failed" against the mastery score the LMS
 * gives in cmi.student_data.mastery_score, else the one the package was made with),
 * then LMSCommit and LMSFinish. Plain ES5, no library, no network.
 */
(function () {
  "use strict";

  var MAX_PARENTS = 500;
  var key = JSON.parse(document.getElementById("tk-quiz-key").textContent);
  var form = document.getElementById("tk-quiz");
  var api = null;
  var finished = false;
  var started = new Date().getTime();

  function apiOf(win) {
    try {
      return win.API || null;
    } catch (error) {  // a window of another origin
      return null;
    }
  }

  function walkUp(win) {
    var found = apiOf(win);
    var steps = 0;
    while (found === null && win.parent && win.parent !== win && steps < MAX_PARENTS) {
      steps += 1;
      win = win.parent;
      found = apiOf(win);
    }
    return found;
  }

  function findAPI() {
    var found = walkUp(window);
    if (found === null && window.opener) {
      found = walkUp(window.opener);
    }
    return found;
  }

  function setValue(name, value) {
    if (api !== null) {
      api.LMSSetValue(name, String(value));
    }
  }

  function getValue(name) {
    return api === null ? "" : String(api.LMSGetValue(name));
  }

  function finish() {
    if (api !== null && !finished) {
      finished = true;
      api.LMSCommit("");
      api.LMSFinish("");
    }
  }

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function sessionTime() {
    var seconds = Math.round((new Date().getTime() - started) / 1000);
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    return twoDigits(hours) + ":" + twoDigits(minutes) + ":" + twoDigits(seconds % 60);
  }

  function masteryScore() {
    var given = parseFloat(getValue("cmi.student_data.mastery_score"));
    return isNaN(given) ? key.mastery : given;
  }

  function say(text, className) {
    var result = document.getElementById("tk-result");
    result.textContent = text;
    result.className = "tk-result " + (className || "");
    result.hidden = false;
  }

  /* A number as the edition writes its numbers: 0-9, or Arabic-Indic digits. */
  function localDigits(text) {
    if (key.digits !== "eastern") {
      return text;
    }
    return text.replace(/[0-9]/g, function (digit) {
      return String.fromCharCode(0x0660 + Number(digit));
    });
  }

  function normalised(text) {
    return String(text).replace(/\s+/g, " ").replace(/^ | $/g, "").toLowerCase();
  }

  function inputsOf(index) {
    return form.querySelectorAll("[data-question='" + index + "'] [name='q" + index + "']");
  }

  /* The share (0 to 1) of a question's points the answers given earn. */
  function share(question, index) {
    var inputs = inputsOf(index);
    var i;
    if (question.kind === "choice") {
      var total = 0;
      var right = question.correct.length;
      var wrong = inputs.length - right;
      for (i = 0; i < inputs.length; i += 1) {
        if (inputs[i].checked) {
          var correct = question.correct.indexOf(i) >= 0;
          total += correct ? 1 / right : (question.multiple && wrong ? -1 / wrong : 0);
        }
      }
      return Math.max(0, Math.min(1, total));
    }
    if (question.kind === "true-false") {
      for (i = 0; i < inputs.length; i += 1) {
        if (inputs[i].checked) {
          return (inputs[i].value === "true") === question.answer ? 1 : 0;
        }
      }
      return 0;
    }
    if (question.kind === "short-answer") {
      var given = normalised(inputs[0].value);
      for (i = 0; i < question.accepted.length; i += 1) {
        if (given !== "" && given === normalised(question.accepted[i])) {
          return 1;
        }
      }
      return 0;
    }
    var matched = 0;  // matching: a share per pair
    for (i = 0; i < question.answers.length; i += 1) {
      var select = form.querySelector("[name='q" + index + "-" + i + "']");
      if (select && select.value === String(question.answers[i])) {
        matched += 1;
      }
    }
    return question.answers.length ? matched / question.answers.length : 0;
  }

  function showFeedback(block, earned) {
    var mark = block.querySelector(".tk-mark");
    var verdict = earned >= 1 ? "right" : (earned > 0 ? "partly" : "wrong");
    mark.textContent = key.labels[verdict];
    mark.className = "tk-mark tk-" + verdict;
    mark.hidden = false;
    var hidden = block.querySelectorAll(".tk-feedback");
    for (var i = 0; i < hidden.length; i += 1) {
      var input = hidden[i].getAttribute("data-for");
      var chosen = input === null || form.querySelector("#" + input).checked;
      hidden[i].hidden = !chosen;
    }
  }

  function check(event) {
    event.preventDefault();
    var earned = 0;
    var possible = 0;
    for (var index = 0; index < key.questions.length; index += 1) {
      var question = key.questions[index];
      var part = share(question, index);
      earned += part * question.points;
      possible += question.points;
      showFeedback(form.querySelector("[data-question='" + index + "']"), part);
    }
    var score = possible ? Math.round(1000 * earned / possible) / 10 : 0;
    var passed = score >= masteryScore();
    var fields = form.querySelectorAll("input, select, button");
    for (var i = 0; i < fields.length; i += 1) {
      fields[i].disabled = true;
    }
    say(key.labels.score.replace("{score}", localDigits(String(score))) + " — " +
        (passed ? key.labels.passed : key.labels.failed), passed ? "tk-passed" : "tk-failed");
    setValue("cmi.core.score.raw", score);
    setValue("cmi.core.score.min", 0);
    setValue("cmi.core.score.max", 100);
    setValue("cmi.core.lesson_status", passed ? "passed" : "failed");
    setValue("cmi.core.session_time", sessionTime());
    finish();
  }

  function start() {
    api = findAPI();
    if (api === null || String(api.LMSInitialize("")) !== "true") {
      api = null;
      document.getElementById("tk-no-lms").hidden = false;
    }
    if (key.questions.length === 0) {
      say(key.labels.none, "tk-passed");
      setValue("cmi.core.lesson_status", "completed");
      setValue("cmi.core.session_time", sessionTime());
      finish();
      return;
    }
    var status = getValue("cmi.core.lesson_status");
    if (status === "" || status === "not attempted") {
      setValue("cmi.core.lesson_status", "incomplete");
      if (api !== null) {
        api.LMSCommit("");
      }
    }
    form.addEventListener("submit", check);
    window.addEventListener("pagehide", finish);
  }

  start();
}());
