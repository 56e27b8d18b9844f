/*
 * AsA flex chat widget: a chat window for a website, talking to the Rasa server over socket.io.
 *
 * Embed with one tag (the files beside this one are loaded from the same folder):
 *   <script src="/widget/asa-widget.js" data-server="https://bot.example.de" defer></script>
 * Optional: data-privacy-url="/datenschutz" adds a link to the site's privacy policy.
 *
 * Every text from the bot or the user is put into the page with textContent, never as HTML.
 * The session id and the shown messages are kept in sessionStorage, so a reload continues the
 * conversation on the same sender; closing the tab forgets them.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__asaWidget) {
    return;
  }
  window.__asaWidget = true;

  var STORAGE_KEY = "asa-widget:v1";
  var MAX_MESSAGES = 200;
  var MAX_INPUT = 500;
  var TYPING_TIMEOUT_MS = 20000;

  // UI chrome only; everything the bot says comes from the server.
  var UI = {
    launcher: "Fragen zu AsA flex",
    title: "Chat zu AsA flex",
    close: "Chat schließen",
    restart: "Neu starten",
    log: "Chatverlauf",
    replies: "Antwortmöglichkeiten",
    inputLabel: "Ihre Nachricht",
    placeholder: "Frage eingeben …",
    send: "Senden",
    start: "Chat beginnen",
    bot: "Assistent:",
    user: "Sie:",
    typing: "Der Assistent schreibt …",
    privacy:
      "Hinweis zum Datenschutz: Dies ist ein automatischer Assistent. Ihre Eingaben werden zur " +
      "Beantwortung an den Server dieses Angebots übertragen und dort gespeichert. Bitte geben " +
      "Sie keine Namen, Adressen oder anderen persönlichen Daten ein. Der Verlauf bleibt in " +
      "Ihrem Browser, bis Sie diesen Tab schließen.",
    privacyLink: "Mehr zum Datenschutz",
    connecting: "Verbindung wird aufgebaut …",
    offline: "Der Chat ist gerade nicht erreichbar. Neuer Versuch läuft …",
    noServer: "Der Chat ist nicht eingerichtet (data-server fehlt).",
    noReply: "Keine Antwort erhalten. Bitte versuchen Sie es noch einmal.",
  };

  var base = new URL(".", script.src);
  var server = (script.getAttribute("data-server") || "").trim();
  if (!/^https?:\/\/[^\s]+$/.test(server)) {
    server = "";
  }
  var privacyUrl = (script.getAttribute("data-privacy-url") || "").trim();

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // ---- stored state: session id, shown messages, open or closed ----

  function loadState() {
    try {
      var raw = window.sessionStorage.getItem(STORAGE_KEY);
      var state = raw ? JSON.parse(raw) : null;
      if (state && Array.isArray(state.messages)) {
        return state;
      }
    } catch (error) {
      // Storage blocked or damaged: start a new conversation.
    }
    return { sessionId: null, messages: [], open: false };
  }

  var state = loadState();

  function saveState() {
    state.messages = state.messages.slice(-MAX_MESSAGES);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // Without storage the chat still works; a reload then starts over.
    }
  }

  // ---- the DOM ----

  var root = el("aside", "asa-widget");
  root.setAttribute("lang", "de");
  root.setAttribute("aria-label", UI.title);

  var launcher = el("button", "asa-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "asa-panel");
  launcher.appendChild(el("span", "asa-launcher__icon")).setAttribute("aria-hidden", "true");
  launcher.appendChild(el("span", "asa-launcher__text", UI.launcher));

  var panel = el("div", "asa-panel");
  panel.id = "asa-panel";
  panel.hidden = true;

  var header = el("div", "asa-header");
  var title = el("h2", "asa-title", UI.title);
  title.id = "asa-title";
  var restartButton = el("button", "asa-header__button asa-restart", UI.restart);
  restartButton.type = "button";
  var closeButton = el("button", "asa-header__button asa-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", UI.close);
  closeButton.appendChild(el("span", "", "×")).setAttribute("aria-hidden", "true");
  header.append(title, restartButton, closeButton);

  var body = el("div", "asa-body");
  var privacy = el("div", "asa-privacy");
  privacy.appendChild(el("p", "", UI.privacy));
  if (privacyUrl) {
    var link = el("a", "", UI.privacyLink);
    link.href = privacyUrl;
    privacy.appendChild(el("p")).appendChild(link);
  }
  var startButton = el("button", "asa-start", UI.start);
  startButton.type = "button";
  privacy.appendChild(startButton);

  var log = el("div", "asa-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-relevant", "additions");
  log.setAttribute("aria-label", UI.log);

  var typing = el("div", "asa-typing");
  typing.setAttribute("role", "status");
  typing.hidden = true;
  var dots = el("span", "asa-typing__dots");
  dots.setAttribute("aria-hidden", "true");
  dots.append(el("span"), el("span"), el("span"));
  typing.append(dots, el("span", "asa-typing__text", UI.typing));
  body.append(privacy, log, typing);

  var form = el("form", "asa-form");
  form.noValidate = true;
  var label = el("label", "asa-visually-hidden", UI.inputLabel);
  label.htmlFor = "asa-input";
  var input = el("input", "asa-input");
  input.id = "asa-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = MAX_INPUT;
  input.placeholder = UI.placeholder;
  var sendButton = el("button", "asa-send", UI.send);
  sendButton.type = "submit";
  form.append(label, input, sendButton);

  var status = el("p", "asa-status");
  status.setAttribute("role", "status");

  panel.append(header, body, form, status);
  root.append(launcher, panel);

  // ---- rendering (text only) ----

  function scrollToEnd() {
    body.scrollTop = body.scrollHeight;
  }

  function renderReplies(replies) {
    var group = el("div", "asa-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", UI.replies);
    replies.forEach(function (reply) {
      var button = el("button", "asa-reply", reply.title);
      button.type = "button";
      button.addEventListener("click", function () {
        sendMessage(reply.payload, reply.title, true);
      });
      group.appendChild(button);
    });
    return group;
  }

  function renderMessage(message) {
    var bubble = el("div", "asa-msg asa-msg--" + message.from);
    bubble.appendChild(
      el("span", "asa-visually-hidden", message.from === "bot" ? UI.bot : UI.user)
    );
    bubble.appendChild(el("p", "asa-msg__text", message.text));
    log.appendChild(bubble);
    if (message.replies && message.replies.length) {
      log.appendChild(renderReplies(message.replies));
    }
  }

  function removeReplies() {
    log.querySelectorAll(".asa-replies").forEach(function (group) {
      group.remove();
    });
    state.messages.forEach(function (message) {
      delete message.replies;
    });
  }

  function renderAll() {
    log.textContent = "";
    state.messages.forEach(renderMessage);
    startButton.hidden = state.messages.length > 0;
    scrollToEnd();
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    renderMessage(message);
    startButton.hidden = true;
    scrollToEnd();
  }

  var typingTimer = null;

  function showTyping(on) {
    window.clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) {
      typingTimer = window.setTimeout(function () {
        typing.hidden = true;
        status.textContent = UI.noReply;
      }, TYPING_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  // ---- the connection ----

  var socket = null;
  var confirmed = false;
  var outbox = [];
  var focusRepliesNext = false;

  function emitMessage(text) {
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
  }

  function flushOutbox() {
    while (socket && confirmed && outbox.length) {
      emitMessage(outbox.shift());
    }
  }

  function repliesOf(data) {
    var raw = data.quick_replies || data.buttons || [];
    return raw
      .filter(function (item) {
        return item && typeof item.title === "string" && typeof item.payload === "string";
      })
      .map(function (item) {
        return { title: item.title, payload: item.payload };
      });
  }

  function onBotMessage(data) {
    if (!data || typeof data.text !== "string") {
      return;
    }
    showTyping(false);
    status.textContent = "";
    var replies = repliesOf(data);
    addMessage({ from: "bot", text: data.text, replies: replies });
    if (replies.length && focusRepliesNext && panel.contains(document.activeElement)) {
      focusRepliesNext = false;
      var first = log.querySelector(".asa-replies:last-child .asa-reply");
      if (first) {
        first.focus();
      }
    }
  }

  function connect(io) {
    socket = io(server);
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      if (typeof sessionId !== "string" || !sessionId) {
        return;
      }
      if (sessionId !== state.sessionId) {
        // A new session on the server: the history shown belongs to the old one.
        if (state.sessionId && state.messages.length) {
          state.messages = [];
          renderAll();
        }
        state.sessionId = sessionId;
        saveState();
      }
      confirmed = true;
      status.textContent = "";
      flushOutbox();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("connect_error", function () {
      status.textContent = UI.offline;
    });
    socket.on("disconnect", function () {
      confirmed = false;
      status.textContent = UI.offline;
    });
  }

  function sendMessage(text, shown, fromReply) {
    removeReplies();
    if (shown) {
      addMessage({ from: "user", text: shown });
    }
    focusRepliesNext = Boolean(fromReply);
    if (fromReply) {
      input.focus();
    }
    showTyping(true);
    outbox.push(text);
    flushOutbox();
  }

  function loadSocketIo(done) {
    var previous = window.io;
    var tag = document.createElement("script");
    tag.src = new URL("vendor/socket.io.min.js", base).href;
    tag.onload = function () {
      var io = window.io;
      if (previous === undefined) {
        delete window.io;
      } else {
        window.io = previous;
      }
      done(io);
    };
    tag.onerror = function () {
      status.textContent = UI.offline;
    };
    document.head.appendChild(tag);
  }

  // ---- opening, closing and the controls ----

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    root.classList.toggle("asa-widget--open", open);
    state.open = open;
    saveState();
    if (open) {
      scrollToEnd();
      if (moveFocus) {
        (state.messages.length ? input : startButton).focus();
      }
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden, true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false, true);
  });
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      setOpen(false, true);
    }
  });
  startButton.addEventListener("click", function () {
    sendMessage("/greet", null, true);
  });
  restartButton.addEventListener("click", function () {
    state.messages = [];
    saveState();
    renderAll();
    sendMessage("/restart", null, false);
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim().slice(0, MAX_INPUT);
    if (!text) {
      input.focus();
      return;
    }
    input.value = "";
    sendMessage(text, text, false);
  });

  // ---- start ----

  var stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = new URL("asa-widget.css", base).href;
  document.head.appendChild(stylesheet);
  document.body.appendChild(root);
  renderAll();
  if (state.open) {
    setOpen(true, false);
  }
  if (!server) {
    status.textContent = UI.noServer;
    input.disabled = true;
    sendButton.disabled = true;
    startButton.disabled = true;
    return;
  }
  status.textContent = UI.connecting;
  loadSocketIo(connect);
})();
