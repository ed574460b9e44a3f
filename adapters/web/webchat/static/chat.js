/* The web chat page. Plain ES5 with XMLHttpRequest, so that it runs in
   WeChat's in-app browser and old Android WebViews without a build step.
   Everything shown is set as text, never as HTML. */
(function () {
  "use strict";
  var texts = JSON.parse(document.getElementById("texts").textContent);
  var boot = JSON.parse(document.getElementById("boot").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), status = $("status"), input = $("text");
  var store = window.localStorage || { getItem: function () { return null; }, setItem: function () {}, removeItem: function () {} };
  var state = {
    token: store.getItem("slipdesk.token"),
    // chosen is set once the user picks a language; until then the
    // browser's Accept-Language speaks for them.
    chosen: store.getItem("slipdesk.lang"),
    lang: store.getItem("slipdesk.lang") || boot.lang,
    last: "", seen: {}, pending: [], es: null, polling: false, typing: null, inflight: 0
  };
  var body = document.body;

  // The page's progress is on the body, for tests and for styling:
  // the last feed entry shown, and how many sends are under way.
  function mark() {
    body.setAttribute("data-last", state.last);
    body.setAttribute("data-busy", String(state.inflight));
  }

  function t(id) { return (texts[state.lang] || {})[id] || ""; }

  function applyTexts() {
    document.documentElement.lang = state.lang;
    document.title = t("web.title");
    $("title").textContent = t("web.title");
    $("send").textContent = t("web.send");
    $("attach-label").textContent = t("web.attach");
    input.placeholder = t("web.placeholder");
    $("lang-zh").textContent = texts["zh-CN"]["web.lang_zh"];
    $("lang-en").textContent = texts.en["web.lang_en"];
    $("lang-zh").className = state.lang === "zh-CN" ? "on" : "";
    $("lang-en").className = state.lang === "en" ? "on" : "";
    $("intro").textContent = t("web.intro");
  }

  function say(msg) {
    status.textContent = msg;
    status.hidden = !msg;
  }

  function randomID() {
    var s = "m" + new Date().getTime().toString(36);
    for (var i = 0; i < 12; i++) { s += Math.floor(Math.random() * 36).toString(36); }
    return s;
  }

  // request sends a JSON body (or a FormData) and calls done(status, body).
  function request(method, url, body, done, progress) {
    var x = new XMLHttpRequest();
    x.open(method, url, true);
    if (state.token) { x.setRequestHeader("X-Chat-Token", state.token); }
    if (state.chosen) { x.setRequestHeader("X-Chat-Lang", state.chosen); }
    if (body && !(window.FormData && body instanceof FormData)) {
      x.setRequestHeader("Content-Type", "application/json");
      body = JSON.stringify(body);
    }
    if (progress && x.upload) { x.upload.onprogress = progress; }
    x.onreadystatechange = function () {
      if (x.readyState !== 4) { return; }
      var data = null;
      try { data = JSON.parse(x.responseText); } catch (e) { data = null; }
      done(x.status, data);
    };
    x.send(body || null);
  }

  function scroll() { log.scrollTop = log.scrollHeight; }

  function bubble(cls) {
    var row = document.createElement("div");
    row.className = "row";
    var d = document.createElement("div");
    d.className = "msg " + cls;
    row.appendChild(d);
    log.appendChild(row);
    return d;
  }

  function disableOptions() {
    var bs = log.querySelectorAll(".opts button");
    for (var i = 0; i < bs.length; i++) { bs[i].disabled = true; }
  }

  function render(e) {
    if (!e || (e.id && state.seen[e.id])) { return; }
    if (e.id) { state.seen[e.id] = true; state.last = e.id; }
    if (e.from === "me") {
      var p = state.pending.shift();
      if (p && p.parentNode) { p.parentNode.parentNode.removeChild(p.parentNode); }
      var d = bubble("me");
      if (e.file) { d.className += " file"; d.textContent = e.file; } else { d.textContent = e.text; }
    } else {
      stopTyping();
      disableOptions();
      var b = bubble("bot");
      b.textContent = e.text;
      b.setAttribute("data-msg", e.msg || "");
      if (e.options && e.options.length) {
        var box = document.createElement("div");
        box.className = "opts";
        for (var i = 0; i < e.options.length; i++) { box.appendChild(optionButton(e.options[i])); }
        log.appendChild(box);
      }
    }
    scroll();
    mark();
  }

  function optionButton(o) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = o.label;
    b.setAttribute("data-value", o.value);
    b.setAttribute("data-data", o.data);
    b.onclick = function () { disableOptions(); post({ button: o.data, label: o.label }, o.label); };
    return b;
  }

  function startTyping() {
    if (state.typing) { return; }
    state.typing = bubble("bot typing");
    state.typing.textContent = t("web.typing");
    scroll();
  }

  function stopTyping() {
    if (state.typing) { log.removeChild(state.typing.parentNode); state.typing = null; }
  }

  function renderAll(body) {
    if (body && body.entries) { for (var i = 0; i < body.entries.length; i++) { render(body.entries[i]); } }
  }

  // fetchNew reads what the feed has after the last entry shown.
  function fetchNew(done) {
    request("GET", "/api/chat/feed?after=" + encodeURIComponent(state.last), null, function (code, body) {
      if (code === 200) { renderAll(body); }
      if (done) { done(code); }
    });
  }

  // post sends one message with its own ID, retrying with the same ID
  // after a lost connection or a busy server: the server answers a retry
  // from its record and shows the message once.
  function post(msg, shown) {
    msg.id = randomID();
    var mine = bubble("me");
    mine.textContent = shown;
    state.pending.push(mine);
    startTyping();
    state.inflight++;
    mark();
    var tries = 0;
    (function attempt() {
      request("POST", "/api/chat/send", msg, function (code, body) { settle(code, body, attempt, ++tries); });
    })();
  }

  function settle(code, answer, again, tries) {
    if ((code === 0 || code === 503 || code === 502 || code === 504) && tries < 6) {
      say(t("web.offline"));
      setTimeout(again, 1000 * tries);
      return;
    }
    state.inflight--;
    if (code === 200) { say(""); fetchNew(mark); return; }
    mark();
    stopTyping();
    var p = state.pending.shift();
    if (p && p.parentNode) { p.parentNode.parentNode.removeChild(p.parentNode); }
    say(answer && answer.message ? answer.message : t("web.offline"));
    if (code === 401) { store.removeItem("slipdesk.token"); state.token = null; }
  }

  function upload(file) {
    var id = randomID();
    var mine = bubble("me file");
    mine.textContent = file.name;
    state.pending.push(mine);
    state.inflight++;
    mark();
    var tries = 0;
    (function attempt() {
      var form = new FormData();
      form.append("id", id);
      form.append("file", file, file.name);
      request("POST", "/api/chat/upload", form, function (code, body) {
        settle(code, body, attempt, ++tries);
      }, function (ev) {
        if (ev.lengthComputable) { say(t("web.uploading").replace("{p}", Math.round(100 * ev.loaded / ev.total))); }
        if (ev.loaded === ev.total) { say(""); startTyping(); }
      });
    })();
  }

  // live follows the feed by server-sent events; where they fail before
  // ever opening (a proxy that buffers, a browser without them), it
  // falls back to long polling.
  function live() {
    if (!window.EventSource || state.polling) { poll(); return; }
    var opened = false, failures = 0;
    var es = new EventSource("/api/chat/events?t=" + encodeURIComponent(state.token) + "&after=" + encodeURIComponent(state.last));
    state.es = es;
    es.onopen = function () { opened = true; failures = 0; say(""); };
    es.onmessage = function (ev) {
      var e = null;
      try { e = JSON.parse(ev.data); } catch (x) { return; }
      render(e);
    };
    es.onerror = function () {
      failures++;
      if (!opened && failures >= 2) { es.close(); state.es = null; state.polling = true; poll(); }
      else if (failures >= 3) { say(t("web.offline")); }
    };
  }

  function poll() {
    state.polling = true;
    request("GET", "/api/chat/feed?wait=1&after=" + encodeURIComponent(state.last), null, function (code, body) {
      if (code === 200) { say(""); renderAll(body); setTimeout(poll, 50); return; }
      if (code === 401) { return; }
      say(t("web.offline"));
      setTimeout(poll, 3000);
    });
  }

  function begin() {
    // A shop's QR code opens the chat with its shop known, once per scan.
    var shop = boot.shop && store.getItem("slipdesk.shop") !== boot.shop ? boot.shop : "";
    if (state.token && !shop) { fetchNew(function (code) { if (code === 401) { restart(); } else { live(); } }); return; }
    request("POST", "/api/chat/start", { shop: shop }, function (code, body) {
      if (code === 401) { restart(); return; }
      if (code !== 200 || !body) { say(body && body.message ? body.message : t("web.offline")); setTimeout(begin, 3000); return; }
      state.token = body.token;
      store.setItem("slipdesk.token", body.token);
      if (shop) { store.setItem("slipdesk.shop", shop); }
      fetchNew(live);
    });
  }

  function restart() {
    store.removeItem("slipdesk.token");
    state.token = null;
    begin();
  }

  function setLang(lang) {
    if (lang === state.lang) { return; }
    state.lang = state.chosen = lang;
    store.setItem("slipdesk.lang", lang);
    applyTexts();
    // The words on the buttons are the chat's own commands for a language.
    post({ text: lang === "en" ? texts.en["web.lang_en"] : texts["zh-CN"]["web.lang_zh"] }, lang === "en" ? texts.en["web.lang_en"] : texts["zh-CN"]["web.lang_zh"]);
  }

  $("composer").onsubmit = function (ev) {
    ev.preventDefault();
    var text = input.value.replace(/^\s+|\s+$/g, "");
    if (!text) { return false; }
    input.value = "";
    post({ text: text }, text);
    return false;
  };
  $("file").onchange = function () {
    if (this.files && this.files[0]) { upload(this.files[0]); }
    this.value = "";
  };
  $("lang-zh").onclick = function () { setLang("zh-CN"); };
  $("lang-en").onclick = function () { setLang("en"); };

  var intro = bubble("bot");
  intro.id = "intro";
  applyTexts();
  begin();
}());
