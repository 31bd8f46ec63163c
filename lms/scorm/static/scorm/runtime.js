// The SCORM 1.2 run-time API (SCORM 1.2 RTE, ADL 2001, sections 3.2 and 3.4) that a SCO finds as window.parent.API.
// It keeps the cmi data model of one session in the page, answers the SCO with the standard error codes, and sends
// what the SCO set to the server on LMSCommit, on LMSFinish and when the page is left (navigator.sendBeacon). The
// server checks everything again (lms/scorm/cmi.py); without an enrolment (an author's preview) nothing is sent
// and the SCO runs in browse mode.
(function () {
  "use strict";
  var root = document.querySelector("[data-scorm-player]");
  if (!root) { return; }
  var frame = root.querySelector("[data-scorm-frame]");
  var statusNode = root.querySelector("[data-scorm-status]");
  var csrfNode = document.querySelector("[data-csrf]");
  var token = csrfNode ? csrfNode.getAttribute("data-csrf") : "";
  var messages = {
    ready: root.getAttribute("data-msg-ready"), saved: root.getAttribute("data-msg-saved"),
    done: root.getAttribute("data-msg-done"), preview: root.getAttribute("data-msg-preview"),
    refused: root.getAttribute("data-msg-refused")
  };

  var ERRORS = {
    "0": "No error", "101": "General exception", "201": "Invalid argument error",
    "202": "Element cannot have children", "203": "Element not an array - cannot have count",
    "301": "Not initialized", "401": "Not implemented error", "402": "Invalid set value, element is a keyword",
    "403": "Element is read only", "404": "Element is write only", "405": "Incorrect data type"
  };
  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed"];
  var TIMESPAN = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var TIME = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var IDENTIFIER = /^[\x21-\x7e]{1,255}$/;
  var DECIMAL = /^-?\d{1,20}(\.\d{1,10})?$/;
  var MAX_OBJECTIVES = 100, MAX_INTERACTIONS = 250, MAX_SUB = 50;

  function oneOf(list) { return function (v) { return list.indexOf(v) !== -1; }; }
  function maxLength(n) { return function (v) { return v.length <= n && v.indexOf("\u0000") === -1; }; }
  function decimal(low, high, blank) {
    return function (v) {
      if (blank && v === "") { return true; }
      if (!DECIMAL.test(v)) { return false; }
      var n = parseFloat(v);
      return (low === null || n >= low) && (high === null || n <= high);
    };
  }
  var score = decimal(0, 100, true);
  var CHILDREN = {
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max",
    "cmi.objectives": "id,score,status",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
    "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"
  };
  // element -> [access, check for a value set]
  var MODEL = {
    "cmi.core.student_id": ["ro"], "cmi.core.student_name": ["ro"],
    "cmi.core.lesson_location": ["rw", maxLength(255)], "cmi.core.credit": ["ro"],
    "cmi.core.lesson_status": ["rw", oneOf(STATUSES)], "cmi.core.entry": ["ro"],
    "cmi.core.score.raw": ["rw", score], "cmi.core.score.min": ["rw", score], "cmi.core.score.max": ["rw", score],
    "cmi.core.total_time": ["ro"], "cmi.core.lesson_mode": ["ro"],
    "cmi.core.exit": ["wo", oneOf(["time-out", "suspend", "logout", ""])],
    "cmi.core.session_time": ["wo", function (v) { return TIMESPAN.test(v); }],
    "cmi.suspend_data": ["rw", maxLength(4096)], "cmi.launch_data": ["ro"],
    "cmi.comments": ["rw", maxLength(4096)], "cmi.comments_from_lms": ["ro"],
    "cmi.student_data.mastery_score": ["ro"], "cmi.student_data.max_time_allowed": ["ro"],
    "cmi.student_data.time_limit_action": ["ro"],
    "cmi.student_preference.audio": ["rw", decimal(-1, 100)],
    "cmi.student_preference.language": ["rw", maxLength(255)],
    "cmi.student_preference.speed": ["rw", decimal(-100, 100)],
    "cmi.student_preference.text": ["rw", oneOf(["-1", "0", "1"])]
  };
  var OBJECTIVE = {"id": ["rw", function (v) { return IDENTIFIER.test(v); }], "score.raw": ["rw", score],
                   "score.min": ["rw", score], "score.max": ["rw", score],
                   "status": ["rw", oneOf(STATUSES)]};
  var INTERACTION = {
    "id": ["wo", function (v) { return IDENTIFIER.test(v); }], "time": ["wo", function (v) { return TIME.test(v); }],
    "type": ["wo", oneOf(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"])],
    "weighting": ["wo", decimal(null, null)], "student_response": ["wo", maxLength(255)],
    "result": ["wo", function (v) { return oneOf(["correct", "wrong", "unanticipated", "neutral"])(v) || decimal(null, null)(v); }],
    "latency": ["wo", function (v) { return TIMESPAN.test(v); }]
  };

  var state = "new";  // "new", then "running" after LMSInitialize, "finished" after LMSFinish
  var lastError = "0", diagnostic = "";
  var recording = false, session = "";
  var pending = Promise.resolve();  // the commits in flight, chained
  var values = {};  // what LMSGetValue reads
  var set = {};  // what the SCO set in this session (sent on commit)
  var objectives = 0, interactions = [];  // interactions: per index, {objectives: n, correct_responses: n}

  function fail(code, why) { lastError = code; diagnostic = why || ERRORS[code]; return code; }
  function ok() { lastError = "0"; diagnostic = ""; }

  // "cmi.objectives.3.score.raw" -> {kind: "objectives", index: 3, field: "score.raw"}
  function arrayElement(element) {
    var match = /^cmi\.(objectives|interactions)\.(\d+)\.(.+)$/.exec(element);
    return match ? {kind: match[1], index: parseInt(match[2], 10), field: match[3]} : null;
  }

  function getValue(element) {
    if (state !== "running") { fail("301"); return ""; }
    element = String(element);
    if (element === "") { fail("201"); return ""; }
    var keyword = /^(.*)\._(children|count)$/.exec(element);
    if (keyword) {
      var parent = keyword[1].replace(/\.\d+\./g, ".n.").replace(/^cmi\.(objectives|interactions)\.\d+$/, "cmi.$1");
      if (keyword[2] === "children") {
        if (parent === "cmi.objectives.n.score") { ok(); return "raw,min,max"; }
        if (CHILDREN[parent]) { ok(); return CHILDREN[parent]; }
        fail(MODEL[parent] ? "202" : "201"); return "";
      }
      if (parent === "cmi.objectives") { ok(); return String(objectives); }
      if (parent === "cmi.interactions") { ok(); return String(interactions.length); }
      var sub = /^cmi\.interactions\.(\d+)\.(objectives|correct_responses)$/.exec(keyword[1]);
      if (sub) {
        var row = interactions[parseInt(sub[1], 10)];
        if (!row) { fail("201"); return ""; }
        ok(); return String(row[sub[2]]);
      }
      fail(MODEL[parent] ? "203" : "201"); return "";
    }
    if (MODEL[element]) {
      if (MODEL[element][0] === "wo") { fail("404"); return ""; }
      ok(); return values[element] === undefined ? "" : values[element];
    }
    var array = arrayElement(element);
    if (array && array.kind === "objectives" && OBJECTIVE[array.field]) {
      if (array.index >= objectives) { fail("201", "No objective " + array.index); return ""; }
      ok(); var value = values[element]; return value === undefined ? "" : value;
    }
    if (array && array.kind === "interactions") {
      if (INTERACTION[array.field] || /^(objectives|correct_responses)\.\d+\.(id|pattern)$/.test(array.field)) {
        fail("404"); return "";
      }
    }
    fail("201", "Unknown element " + element.slice(0, 100)); return "";
  }

  function setValue(element, value) {
    if (state !== "running") { fail("301"); return "false"; }
    element = String(element);
    value = String(value);
    if (/\._(children|count)$/.test(element)) { fail("402"); return "false"; }
    if (MODEL[element]) {
      var spec = MODEL[element];
      if (spec[0] === "ro") { fail("403"); return "false"; }
      if (element === "cmi.comments") {
        var all = (values[element] || "") + value;
        if (all.length > 4096) { fail("405", "cmi.comments holds at most 4096 characters"); return "false"; }
        value = all;
      } else if (!spec[1](value)) {
        fail("405", "Incorrect value for " + element); return "false";
      }
      values[element] = value; set[element] = value; ok(); return "true";
    }
    var array = arrayElement(element);
    if (!array) { fail("201", "Unknown element " + element.slice(0, 100)); return "false"; }
    if (array.kind === "objectives") {
      if (!OBJECTIVE[array.field]) { fail("201"); return "false"; }
      if (array.index > objectives || array.index >= MAX_OBJECTIVES) { fail("201", "Objectives are filled in order"); return "false"; }
      if (!OBJECTIVE[array.field][1](value)) { fail("405"); return "false"; }
      if (array.index === objectives) { objectives += 1; }
      values[element] = value; set[element] = value; ok(); return "true";
    }
    if (array.index > interactions.length || array.index >= MAX_INTERACTIONS) {
      fail("201", "Interactions are filled in order"); return "false";
    }
    var sub = /^(objectives|correct_responses)\.(\d+)\.(id|pattern)$/.exec(array.field);
    var check = INTERACTION[array.field];
    if (sub) {
      var row = interactions[array.index] || {objectives: 0, correct_responses: 0};
      var index = parseInt(sub[2], 10);
      var fits = (sub[1] === "objectives" && sub[3] === "id") || (sub[1] === "correct_responses" && sub[3] === "pattern");
      if (!fits || index > row[sub[1]] || index >= MAX_SUB) { fail("201"); return "false"; }
      if (sub[1] === "objectives" ? !IDENTIFIER.test(value) : value.length > 255) { fail("405"); return "false"; }
      if (index === row[sub[1]]) { row[sub[1]] += 1; }
      interactions[array.index] = row;
    } else if (!check) {
      fail("201"); return "false";
    } else if (!check[1](value)) {
      fail("405"); return "false";
    } else if (array.index === interactions.length) {
      interactions.push({objectives: 0, correct_responses: 0});
    }
    set[element] = value; ok(); return "true";
  }

  function payload() {
    // Everything known of the objectives is sent with them (numbered from 0 without gaps, as the server checks).
    var data = {}, key;
    for (key in set) { if (Object.prototype.hasOwnProperty.call(set, key)) { data[key] = set[key]; } }
    for (key in values) {
      if (/^cmi\.objectives\.\d+\.(id|score\.raw|score\.min|score\.max|status)$/.test(key)) { data[key] = values[key]; }
    }
    return data;
  }

  function show(text) { if (statusNode && text) { statusNode.textContent = text; } }

  function send(finished, beacon) {
    if (!recording) { return; }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("session", session);
    body.append("finished", finished ? "1" : "0");
    body.append("data", JSON.stringify(payload()));
    var url = root.getAttribute("data-commit");
    if (beacon && navigator.sendBeacon) { navigator.sendBeacon(url, body); return; }
    // One commit at a time, in order: a finish must not overtake the commit before it.
    pending = pending.then(function () {
      return fetch(url, {method: "POST", body: body, credentials: "same-origin", keepalive: true,
                         headers: {"X-CSRFToken": token}});
    })
      .then(function (response) {
        return response.json().then(function (json) { return {ok: response.ok, json: json}; });
      })
      .then(function (answer) {
        if (!answer.ok) { show(answer.json.error || messages.refused); return; }
        show(answer.json.done ? messages.done : messages.saved);
        root.setAttribute("data-scorm-saved", answer.json.lesson_status);
      })
      .catch(function () { show(messages.refused); });
  }

  var api = {
    LMSInitialize: function (arg) {
      if (String(arg === undefined ? "" : arg) !== "") { fail("201"); return "false"; }
      if (state !== "new") { fail("101", state === "running" ? "Already initialized" : "Already finished"); return "false"; }
      state = "running"; ok(); return "true";
    },
    LMSFinish: function (arg) {
      if (String(arg === undefined ? "" : arg) !== "") { fail("201"); return "false"; }
      if (state !== "running") { fail("301"); return "false"; }
      state = "finished"; ok(); send(true, false); return "true";
    },
    LMSGetValue: getValue,
    LMSSetValue: setValue,
    LMSCommit: function (arg) {
      if (String(arg === undefined ? "" : arg) !== "") { fail("201"); return "false"; }
      if (state !== "running") { fail("301"); return "false"; }
      ok(); send(false, false); return "true";
    },
    LMSGetLastError: function () { return lastError; },
    LMSGetErrorString: function (code) { return ERRORS[String(code)] || ""; },
    LMSGetDiagnostic: function (code) {
      return code === undefined || String(code) === "" || String(code) === lastError ? diagnostic || ERRORS[lastError]
        : ERRORS[String(code)] || "";
    }
  };
  window.API = api;

  window.addEventListener("pagehide", function () {
    // The page is left while the SCO runs: its session ends with what it set so far.
    if (state === "running") { state = "finished"; send(true, true); }
  });

  function start(data) {
    values = data.values;
    (data.objectives || []).forEach(function (row, index) {
      Object.keys(row).forEach(function (field) { values["cmi.objectives." + index + "." + field] = String(row[field]); });
      objectives = index + 1;
    });
    frame.src = root.getAttribute("data-src");
    show(recording ? messages.ready : messages.preview);
  }

  function preview() {
    recording = false;
    start({values: {"cmi.core.student_id": "apercu", "cmi.core.student_name": "Aperçu", "cmi.core.credit": "no-credit",
                    "cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio",
                    "cmi.core.total_time": "0000:00:00", "cmi.core.lesson_mode": "browse"}});
  }

  if (!window.fetch || !token) { preview(); return; }
  var launchBody = new FormData();
  launchBody.append("csrfmiddlewaretoken", token);
  fetch(root.getAttribute("data-launch"), {method: "POST", body: launchBody, credentials: "same-origin",
                                           headers: {"X-CSRFToken": token}})
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) { recording = true; session = data.session; start(data); })
    .catch(preview);
})();
