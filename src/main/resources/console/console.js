// The Moxing console's script: small, plain, no build step. Every page loads it; each part acts only where its
// elements are. Pages work without it except the playground, the copy buttons and the chart.
"use strict";
(function () {
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // a range slider shows its value beside it
  document.querySelectorAll("input[type=range][data-output]").forEach((range) => {
    const out = document.getElementById(range.dataset.output);
    if (out) range.addEventListener("input", () => { out.value = range.value; out.textContent = range.value; });
  });

  // copy buttons: the text of the element they name
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(button.dataset.copy));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        document.execCommand("copy");
      }
      button.textContent = "Copied";
    });
  });

  // charts: <canvas data-chart="bar" data-labels="a,b" data-values="1,2">
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    if (typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: { labels: canvas.dataset.labels.split(","),
              datasets: [{ label: canvas.getAttribute("aria-label"), data: canvas.dataset.values.split(",").map(Number),
                           backgroundColor: "#0b5cad" }] },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  });

  // charts from a spec the server wrote (ChartSpec): <canvas data-chart-spec="{...}">; redrawn in place when a live
  // route answers a new one. Series are never joined across a null (spanGaps false): a gap is a gap.
  const palette = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#4d7c0f"];
  const axis = (a) => {
    const o = { title: { display: !!(a && a.title), text: a && a.title } };
    if (!a) return o;
    o.type = a.scale;
    if (a.min !== null && a.min !== undefined) o.min = a.min;
    if (a.max !== null && a.max !== undefined) o.max = a.max;
    if (a.scale === "linear") o.beginAtZero = true;
    return o;
  };
  const chartConfig = (spec) => ({
    type: spec.type,
    data: {
      labels: spec.labels || undefined,
      datasets: spec.datasets.map((d, i) => ({
        label: d.label, data: d.data, type: d.kind || undefined,
        borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] + (spec.type === "bar" ? "cc" : ""),
        pointRadius: d.points ? 3 : 0, showLine: d.kind !== "scatter", spanGaps: false, borderWidth: 2,
      })),
    },
    options: {
      maintainAspectRatio: false, animation: false, normalized: true,
      interaction: { mode: "nearest", intersect: false },
      plugins: { legend: { display: spec.datasets.length > 1 } },
      scales: { x: axis(spec.x), y: axis(spec.y) },
    },
  });
  const draw = (canvas, spec) => {
    if (!canvas || typeof Chart === "undefined") return;
    const existing = Chart.getChart(canvas);
    if (existing) {
      const fresh = chartConfig(spec);
      existing.data = fresh.data;
      existing.options = fresh.options;
      existing.update("none");
    } else {
      new Chart(canvas, chartConfig(spec));
    }
    canvas.dataset.drawn = String(spec.datasets.reduce((n, d) => n + d.data.length, 0));
  };
  document.querySelectorAll("canvas[data-chart-spec]").forEach((canvas) => draw(canvas, JSON.parse(canvas.dataset.chartSpec)));

  // live parts: <div data-live="/console/ops/.../fragment" data-every="3"> polls a route answering
  // {charts: {canvasId: spec}, texts: {elementId: text}, done: bool} until it says it is done or the session ends
  document.querySelectorAll("[data-live]").forEach((element) => {
    const every = Number(element.dataset.every || 5) * 1000;
    const poll = async () => {
      let response;
      try {
        response = await fetch(element.dataset.live, { credentials: "same-origin", headers: { Accept: "application/json" } });
      } catch (e) {
        setTimeout(poll, every);
        return;
      }
      if (!response.ok) return;
      const fragment = await response.json();
      Object.entries(fragment.charts || {}).forEach(([id, spec]) => draw(document.getElementById(id), spec));
      Object.entries(fragment.texts || {}).forEach(([id, text]) => {
        const target = document.getElementById(id);
        if (target) target.textContent = text;
      });
      element.dataset.polled = String(Number(element.dataset.polled || 0) + 1);
      if (!fragment.done) setTimeout(poll, every);
    };
    setTimeout(poll, element.dataset.now === "true" ? 0 : every);
  });

  const post = (url, body, type) => fetch(url, {
    method: "POST", body, credentials: "same-origin",
    headers: Object.assign({ "X-CSRF-Token": csrf(), "Accept": "application/json" }, type ? { "Content-Type": type } : {}),
  });
  const problem = async (response) => {
    try { return (await response.json()).error.message; } catch (e) { return "HTTP " + response.status; }
  };
  const base = "/console/tenant/playground/";

  // the playground's image: class and probabilities from predict, then the heat map from explain
  const classify = document.getElementById("classify");
  if (classify) classify.addEventListener("submit", async (event) => {
    event.preventDefault();
    const model = encodeURIComponent(document.getElementById("image-model").value);
    const error = document.getElementById("classify-error");
    const form = new FormData();
    form.append("image", document.getElementById("image").files[0]);
    error.hidden = true;
    document.getElementById("explanation").hidden = true;
    const answer = await post(base + model + "/predict", form);
    if (!answer.ok) { error.textContent = await problem(answer); error.hidden = false; return; }
    const p = (await answer.json()).predictions[0];
    document.getElementById("prediction-label").textContent = p.label;
    document.getElementById("prediction-probability").textContent = (p.probability * 100).toFixed(1) + "%";
    document.getElementById("prediction").hidden = false;
    const bars = document.getElementById("probabilities");
    bars.replaceChildren();
    Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).forEach(([label, probability]) => {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = label;
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = (probability * 100).toFixed(1) + "%";
      const value = document.createElement("span");
      value.textContent = (probability * 100).toFixed(1) + "%";
      item.append(name, bar, value);
      bars.append(item);
    });
    const explained = await post(base + model + "/explain", form);
    if (explained.ok) {
      const e = await explained.json();
      if (e.png) {
        document.getElementById("heatmap").src = "data:image/png;base64," + e.png;
        document.getElementById("explanation").hidden = false;
      }
    }
  });

  // the playground's prompt: OpenAI's chat stream, relayed by the console, written out as it comes
  const chat = document.getElementById("chat");
  if (chat) chat.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = document.getElementById("answer");
    const status = document.getElementById("answer-status");
    out.textContent = "";
    status.textContent = "writing…";
    const model = encodeURIComponent(document.getElementById("chat-model").value);
    const response = await post(base + model + "/chat",
      JSON.stringify({ prompt: document.getElementById("prompt").value }), "application/json");
    if (!response.ok) { status.textContent = await problem(response); return; }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      const events = pending.split("\n\n");
      pending = events.pop();
      for (const e of events) {
        const data = e.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("");
        if (!data || data === "[DONE]") continue;
        const chunk = JSON.parse(data);
        if (chunk.error) { status.textContent = chunk.error.message; continue; }
        const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
        if (delta && delta.content) out.textContent += delta.content;
        if (chunk.choices && chunk.choices[0] && chunk.choices[0].finish_reason) status.textContent = "done (" + chunk.choices[0].finish_reason + ")";
      }
    }
    if (status.textContent === "writing…") status.textContent = "done";
  });
})();
