// The resident's phone: join with the code on the projector, then vote on what the projector shows.
// Everything from the server is shown with textContent: scenario text is data, never markup.
"use strict";

const WORDS = {
  zh: {
    title: "反诈来电演练",
    other: "English",
    joinAsk: "请输入投影上的加入码（6 位数字）",
    joinButton: "加入",
    joinNote: "只需要这个加入码，不要填姓名或手机号。",
    waiting: "请看投影，等下一题。",
    voted: "已投：「{option}」。投影上结束投票之前，还可以改。",
    finishedNone: "活动结束，谢谢参加！这部手机没有做完测前和测后两次小测验。",
    resultsTitle: "你自己的成绩",
    before: "活动前：{right} / {answered} 题答对",
    after: "活动后：{right} / {answered} 题答对",
    follow: "复习时：{right} / {answered} 题答对",
    resultsNote: "只有这部手机能看到这个成绩，投影上不显示任何人的成绩。",
    offline: "暂时连不上投影的电脑，正在重试……",
    refused: {
      "wrong-code": "加入码不对，请再看一眼投影。",
      "slow-down": "操作太快了，请稍等几秒再试。",
      "unknown-token": "活动已重新开始，请重新输入加入码。",
      "token-elsewhere": "网络变了，请重新输入加入码。",
      "closed": "这一题的投票已经结束。",
      "full": "人数已满，请举手参加。",
    },
    problem: "出了点问题，请举手告诉民警。",
  },
  en: {
    title: "Scam-call practice",
    other: "中文",
    joinAsk: "Type the join code shown on the projector (6 digits)",
    joinButton: "Join",
    joinNote: "Only the code is needed: no name, no phone number.",
    waiting: "Watch the projector for the next question.",
    voted: "Your vote: “{option}”. You can change it until the vote closes on the projector.",
    finishedNone: "The session is over, thank you! This phone did not take both short tests.",
    resultsTitle: "Your own result",
    before: "Before: {right} of {answered} right",
    after: "After: {right} of {answered} right",
    follow: "Follow-up: {right} of {answered} right",
    resultsNote: "Only this phone shows it; the projector shows nobody's own result.",
    offline: "Cannot reach the projector's computer; trying again…",
    refused: {
      "wrong-code": "That code is not right: look at the projector again.",
      "slow-down": "Too fast: wait a few seconds and try again.",
      "unknown-token": "The session was restarted: type the join code again.",
      "token-elsewhere": "Your network changed: type the join code again.",
      "closed": "The vote on this question has closed.",
      "full": "The room is full: raise your hand instead.",
    },
    problem: "Something went wrong: raise your hand and tell the officer.",
  },
};

const store = window.sessionStorage;
// The phone's own language first (a resident may read English while the projector is in Chinese), then the
// projector's.
function firstLanguage() {
  const chosen = store.getItem("lang");
  if (chosen === "zh" || chosen === "en") return chosen;
  const phone = (navigator.language || "").toLowerCase();
  if (phone.startsWith("zh")) return "zh";
  if (phone.startsWith("en")) return "en";
  return document.documentElement.dataset.lang === "en" ? "en" : "zh";
}
let lang = firstLanguage();
let token = store.getItem("token");
let device = window.localStorage.getItem("device");
let version = -1;
let last = null;

const $ = (id) => document.getElementById(id);
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

function show(section) {
  for (const id of ["join", "vote", "wait", "results"]) $(id).hidden = id !== section;
}

function problem(text) {
  $("problem").hidden = !text;
  $("problem").textContent = text || "";
}

function words() { return WORDS[lang]; }

function render() {
  const w = words();
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("title").textContent = w.title;
  $("switch-lang").textContent = w.other;
  $("join-ask").textContent = w.joinAsk;
  $("join-button").textContent = w.joinButton;
  $("join-note").textContent = w.joinNote;
  $("wait-text").textContent = w.waiting;
  if (!token) { show("join"); return; }
  if (!last) { show("wait"); return; }
  if (last.finished) { renderResults(last.results || {}); return; }
  const question = last.question;
  if (!question) { show("wait"); return; }
  show("vote");
  $("prompt").textContent = question.prompt[lang];
  const options = $("options");
  options.replaceChildren();
  let chosen = null;
  question.options.forEach((option) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "option"; // every option looks the same: the page must not hint at the answer
    if (option.key === last.mine) { button.classList.add("chosen"); chosen = option; }
    button.setAttribute("aria-pressed", option.key === last.mine ? "true" : "false");
    button.dataset.key = option.key;
    const text = document.createElement("span");
    text.textContent = option[lang];
    if (/^[0-9]+$/.test(option.key)) { // a reply: numbered as the projector numbers it
      const key = document.createElement("span");
      key.className = "key";
      key.textContent = option.key + ".";
      button.append(key);
    }
    button.append(text);
    button.addEventListener("click", () => vote(question.id, option.key));
    options.append(button);
  });
  $("voted").textContent = chosen ? fill(words().voted, { option: chosen[lang] }) : "";
}

function renderResults(results) {
  const w = words();
  show("results");
  $("results-title").textContent = w.resultsTitle;
  const lines = [];
  for (const [phase, label] of [["pre", w.before], ["post", w.after], ["follow", w.follow]]) {
    if (results[phase]) lines.push(fill(label, results[phase]));
  }
  $("results-text").textContent = lines.length ? lines.join("\n") : w.finishedNone;
  $("results-text").style.whiteSpace = "pre-line";
  $("results-note").textContent = lines.length ? w.resultsNote : "";
}

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers["X-Roleplay-Token"] = token;
  const response = await fetch(path, {
    method, headers, body: body ? JSON.stringify(body) : undefined, cache: "no-store", credentials: "omit",
  });
  let answer = null;
  try { answer = await response.json(); } catch (e) { answer = null; }
  return { status: response.status, answer };
}

function refused(answer) {
  const reason = answer && answer.refused;
  return words().refused[reason] || words().problem;
}

function forget() {
  token = null; last = null; version = -1;
  store.removeItem("token");
}

async function join(event) {
  event.preventDefault();
  problem("");
  const code = $("code").value.replace(/\s/g, "");
  try {
    const { status, answer } = await call("POST", "/api/join", { code, device });
    if (status !== 200) { problem(refused(answer)); return; }
    token = answer.token; device = answer.device;
    store.setItem("token", token);
    window.localStorage.setItem("device", device);
    $("code").value = "";
    render();
    follow();
  } catch (e) {
    problem(words().offline);
  }
}

async function vote(question, option) {
  problem("");
  try {
    const { status, answer } = await call("POST", "/api/vote", { question, option });
    if (status === 401) { forget(); render(); problem(refused(answer)); return; }
    if (status !== 200) { problem(refused(answer)); return; }
    if (last && last.question && last.question.id === question) { last.mine = option; render(); }
  } catch (e) {
    problem(words().offline);
  }
}

let following = false;
async function follow() {
  if (following) return;
  following = true;
  while (token) {
    try {
      const { status, answer } = await call("GET", "/api/state?after=" + version);
      if (status === 401) { forget(); render(); problem(refused(answer)); break; }
      if (status === 200) {
        problem("");
        version = answer.version; last = answer; render();
      } else {
        await new Promise((done) => setTimeout(done, 2000));
      }
    } catch (e) {
      problem(words().offline);
      await new Promise((done) => setTimeout(done, 2000));
    }
  }
  following = false;
}

$("switch-lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  store.setItem("lang", lang);
  render();
});
$("join-form").addEventListener("submit", join);
render();
if (token) follow();
