/* peak_trade dashboard and report: interactive charts and live updates.
 *
 * Progressive enhancement: every page works without this script (server-side SVG charts,
 * pagination links). With it, each symbol's SVG is replaced by a TradingView Lightweight
 * Charts view (price with fill markers, equity, drawdown and position panes on one time axis,
 * zoom, pan, hover values), and while a run is live its figures and tables refresh in place.
 */
(function () {
  "use strict";
  var LW = window.LightweightCharts;
  var body = document.body;
  var run = body.dataset.run || "";
  var UP = "#2e7d32", DOWN = "#c62828";

  function places(value, digits) {
    if (value === null || value === undefined || isNaN(value)) { return "-"; }
    return Number(value).toLocaleString("en-US", {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    });
  }
  /* A quantity without the lot step's trailing zeros: 0.02000000 -> 0.02, flat -> 0. */
  function trimmed(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
  }
  function timeText(t) {
    return new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ");
  }
  /* Axis and last-value labels read like the tables: thousands separators, fixed places. */
  function format(digits, trim) {
    return {
      type: "custom", minMove: Math.pow(10, -digits),
      formatter: function (v) { var text = places(v, digits); return trim ? trimmed(text) : text; }
    };
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  /* Time axis labels in UTC: "Jan 2" at a day, "Jan 1 2026" at a year, "06:00" within a day
   * (the library's default shows a bare day number "2" at midnight). */
  function tickText(t, type) {
    var d = new Date(t * 1000);
    var day = MONTHS[d.getUTCMonth()] + " " + d.getUTCDate();
    if (type === LW.TickMarkType.Year) { return day + " " + d.getUTCFullYear(); }
    if (type === LW.TickMarkType.Month || type === LW.TickMarkType.DayOfMonth) { return day; }
    return timeText(t).slice(11);
  }

  function ChartCard(card) {
    this.card = card;
    this.box = card.querySelector(".chart-box");
    this.legend = card.querySelector(".legend");
    this.tools = card.querySelector(".tools");
    this.tfLabel = card.querySelector(".tf");
    this.pricePlaces = Number(card.dataset.pricePlaces || 2);
    this.qtyPlaces = Number(card.dataset.quantityPlaces || 8);
    this.moneyPlaces = Number(card.dataset.moneyPlaces || 2);
    this.timeframe = "auto";
    this.chart = null;
    this.data = null;
    this.byTime = {};
  }

  ChartCard.prototype.url = function (range) {
    var url = this.card.dataset.src + "&timeframe=" + encodeURIComponent(this.timeframe);
    if (range) { url += "&from=" + Math.floor(range.from) + "&to=" + Math.ceil(range.to); }
    return url;
  };

  ChartCard.prototype.load = function (range, keepView) {
    var self = this;
    if (this.card.dataset.inline) {
      var node = document.getElementById(this.card.dataset.inline);
      if (node) { this.show(JSON.parse(node.textContent), false); }
      return Promise.resolve();
    }
    return fetch(this.url(range), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { self.show(data, keepView); })
      .catch(function () { /* keep the SVG fallback */ });
  };

  ChartCard.prototype.build = function (kind) {
    var holder = document.createElement("div");
    holder.className = "lw-chart";
    this.box.appendChild(holder);
    this.box.classList.add("enhanced");
    var chart = LW.createChart(holder, {
      autoSize: true,
      layout: {
        background: { type: "solid", color: "#ffffff" }, textColor: "#1d232b", fontSize: 11,
        panes: { separatorColor: "#c9d1da", enableResize: true },
        // The attribution (NOTICE, link to tradingview.com) is in every page's footer; the
        // logo would need an inline <style> that the Content-Security-Policy refuses.
        attributionLogo: false
      },
      grid: { vertLines: { color: "#f0f2f5" }, horzLines: { color: "#f0f2f5" } },
      rightPriceScale: { borderColor: "#d7dde4", minimumWidth: 96 },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: "#d7dde4",
                   rightOffset: 4, tickMarkFormatter: tickText },
      crosshair: { mode: LW.CrosshairMode.Normal },
      localization: { timeFormatter: function (t) { return timeText(t) + " UTC"; } }
    });
    var price = kind === "candles"
      ? chart.addSeries(LW.CandlestickSeries, {
          upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP,
          wickDownColor: DOWN, priceFormat: format(this.pricePlaces)
        }, 0)
      : chart.addSeries(LW.LineSeries, {
          color: "#1d232b", lineWidth: 1, priceFormat: format(this.pricePlaces)
        }, 0);
    var equity = chart.addSeries(LW.LineSeries, {
      color: "#1f6feb", lineWidth: 2, priceFormat: format(this.moneyPlaces), title: "equity"
    }, 1);
    var drawdown = chart.addSeries(LW.BaselineSeries, {
      baseValue: { type: "price", price: 0 }, lineWidth: 1,
      topLineColor: "#9aa5b1", topFillColor1: "rgba(0,0,0,0)", topFillColor2: "rgba(0,0,0,0)",
      bottomLineColor: DOWN, bottomFillColor1: "rgba(198,40,40,0.10)",
      bottomFillColor2: "rgba(198,40,40,0.40)",
      priceFormat: { type: "custom", minMove: 0.01,
                     formatter: function (v) { return v.toFixed(2) + "%"; } },
      title: "drawdown"
    }, 2);
    var position = chart.addSeries(LW.LineSeries, {
      color: "#8a5a00", lineWidth: 2, lineType: LW.LineType.WithSteps,
      priceFormat: format(this.qtyPlaces, true), title: "position"
    }, 3);
    var panes = chart.panes();
    var shares = [0.52, 0.2, 0.14, 0.14];  // price, equity, drawdown, position
    for (var i = 0; i < panes.length && i < shares.length; i++) {
      panes[i].setStretchFactor(shares[i]);
    }
    this.chart = chart;
    this.kind = kind;
    this.series = { price: price, equity: equity, drawdown: drawdown, position: position };
    this.markers = LW.createSeriesMarkers(price, []);
    chart.subscribeCrosshairMove(this.hover.bind(this));
    var self = this, pending = false;
    chart.timeScale().subscribeVisibleLogicalRangeChange(function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; self.applyMarkers(); });
    });
    this.hint = document.createElement("span");
    this.hint.className = "muted hint";
    if (this.tfLabel) { this.tfLabel.parentNode.insertBefore(this.hint, this.tfLabel.nextSibling); }
  };

  ChartCard.prototype.show = function (data, keepView) {
    if (!LW || !data || !data.bars) { return; }
    var kind = data.kind === "candles" ? "candles" : "line";
    if (!this.chart) { this.build(kind); }
    var view = keepView ? this.chart.timeScale().getVisibleLogicalRange() : null;
    var atEnd = keepView && view && this.data && view.to >= this.data.bars.length - 2;
    this.data = data;
    this.byTime = {};
    var bars = data.bars.map(function (b) {
      return kind === "candles"
        ? { time: b[0], open: b[1], high: b[2], low: b[3], close: b[4] }
        : { time: b[0], value: b[4] };
    });
    function points(list) { return list.map(function (p) { return { time: p[0], value: p[1] }; }); }
    this.series.price.setData(bars);
    this.series.equity.setData(points(data.equity));
    this.series.drawdown.setData(points(data.drawdown));
    this.series.position.setData(points(data.position));
    var self = this;
    data.markers.forEach(function (m) { (self.byTime[m.time] = self.byTime[m.time] || []).push(m); });
    this.markerMode = null;
    this.applyMarkers();
    if (this.tfLabel) {
      this.tfLabel.textContent = data.timeframe + " bars" + (data.clipped ? " (latest " +
        data.bars.length.toLocaleString("en-US") + ")" : "");
    }
    if (view && !atEnd) { this.chart.timeScale().setVisibleLogicalRange(view); }
    else if (!keepView) { this.fit(); }
    this.renderTools();
    this.hover({});
  };

  /* The whole run, with a little room left of the first bar so its time label is not cut. */
  ChartCard.prototype.fit = function () {
    var bars = this.data.bars.length;
    this.chart.timeScale().setVisibleLogicalRange({
      from: -Math.max(2, Math.round(bars * 0.04)), to: bars - 1 + 4
    });
  };

  /* Fill markers sized to the zoom: full arrows (lettered when few) on a readable number of
   * bars, small ones on a crowded view, none on a whole long run (the legend says to zoom in). */
  ChartCard.prototype.applyMarkers = function () {
    if (!this.chart || !this.data) { return; }
    var range = this.chart.timeScale().getVisibleLogicalRange();
    var visible = range ? Math.max(1, range.to - range.from) : this.data.bars.length;
    var mode = visible > 700 ? "hidden" : visible > 200 ? "small" : "full";
    if (mode === this.markerMode) { return; }
    this.markerMode = mode;
    var lettered = mode === "full" && this.data.markers.length <= 80;
    this.markers.setMarkers(mode === "hidden" ? [] : this.data.markers.map(function (m) {
      var buy = m.side === "buy";
      return {
        time: m.time, position: buy ? "belowBar" : "aboveBar", color: buy ? UP : DOWN,
        shape: buy ? "arrowUp" : "arrowDown", size: mode === "small" ? 0.5 : 1,
        text: lettered ? (buy ? "B" : "S") + (m.count > 1 ? "×" + m.count : "") : ""
      };
    }));
    if (this.hint) {
      this.hint.textContent = mode === "hidden" && this.data.markers.length
        ? " · " + this.data.markers.length.toLocaleString("en-US") +
          " fill markers appear when you zoom in"
        : "";
    }
  };

  ChartCard.prototype.renderTools = function () {
    if (!this.tools || this.card.dataset.inline || this.toolsDone) { return; }
    this.toolsDone = true;
    var self = this;
    var choices = ["auto"].concat(this.data.timeframes || []);
    choices.forEach(function (tf) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = tf;
      button.dataset.tf = tf;
      if (tf === self.timeframe) { button.className = "on"; }
      button.addEventListener("click", function () { self.pick(tf); });
      self.tools.appendChild(button);
    });
    var fit = document.createElement("button");
    fit.type = "button";
    fit.textContent = "fit";
    fit.title = "show the whole run";
    fit.addEventListener("click", function () {
      if (self.timeframe !== "auto") { self.pick("auto"); } else { self.fit(); }
    });
    this.tools.appendChild(fit);
  };

  ChartCard.prototype.pick = function (tf) {
    var range = tf === "auto" ? null : this.chart.timeScale().getVisibleRange();
    this.timeframe = tf;
    Array.prototype.forEach.call(this.tools.querySelectorAll("button[data-tf]"), function (b) {
      b.className = b.dataset.tf === tf ? "on" : "";
    });
    var self = this;
    this.load(range, false).then(function () {
      if (range && self.chart) { self.chart.timeScale().setVisibleRange(range); }
    });
  };

  ChartCard.prototype.hover = function (param) {
    if (!this.legend || !this.data) { return; }
    var s = this.series, d = this.data, i;
    var time = param && param.time;
    var get = function (series, list) {
      if (param && param.seriesData && param.seriesData.get(series)) {
        return param.seriesData.get(series);
      }
      if (!list.length) { return null; }
      i = list[list.length - 1];
      return Array.isArray(i) ? { value: i[1], close: i[4], open: i[1], high: i[2], low: i[3] } : i;
    };
    var bar = get(s.price, d.bars);
    var parts = [];
    if (!time && d.bars.length) { time = d.bars[d.bars.length - 1][0]; }
    if (time) { parts.push(timeText(time) + " UTC"); }
    if (bar) {
      var p = this.pricePlaces;
      parts.push(this.kind === "candles" && bar.open !== undefined
        ? "O " + places(bar.open, p) + " H " + places(bar.high, p) + " L " +
          places(bar.low, p) + " C " + places(bar.close, p)
        : "close " + places(bar.value !== undefined ? bar.value : bar.close, p));
    }
    var eq = get(s.equity, d.equity), dd = get(s.drawdown, d.drawdown),
        pos = get(s.position, d.position);
    if (eq) { parts.push("equity " + places(eq.value, this.moneyPlaces)); }
    if (dd) { parts.push("drawdown " + places(dd.value, 2) + "%"); }
    if (pos) { parts.push("position " + trimmed(places(pos.value, this.qtyPlaces))); }
    var self = this;
    (this.byTime[time] || []).forEach(function (m) {
      parts.push((m.side === "buy" ? "BUY " : "SELL ") + places(m.quantity, self.qtyPlaces) +
        " @ " + places(m.price, self.pricePlaces) + (m.count > 1 ? " (" + m.count + " fills)" : ""));
    });
    this.legend.textContent = parts.join(" · ");
  };

  var cards = [];
  if (LW) {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-card"), function (node) {
      var card = new ChartCard(node);
      cards.push(card);
      card.load(null, false);
    });
  }

  /* --- tables: pagers fetch one part instead of reloading the page ----------------------- */
  function replacePart(name, offset) {
    var url = "/runs/" + encodeURIComponent(run) + "/part/" + name + "?offset=" + offset;
    return fetch(url).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        var old = document.getElementById("part-" + name);
        if (old) { old.outerHTML = html; }
      });
  }
  if (run) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-part][data-offset]");
      if (!link || !document.getElementById("part-" + link.dataset.part)) { return; }
      event.preventDefault();
      replacePart(link.dataset.part, link.dataset.offset).catch(function () {
        window.location.href = link.href;
      });
    });
  }

  /* --- live runs: poll the summary view; refresh what changed ----------------------------- */
  var LIVE_PARTS = ["title", "headline", "figures", "symbols", "statistics", "trips", "lives",
                    "orders", "fills", "alerts", "events"];
  var lastSeq = Number(body.dataset.lastSeq || 0);
  function refresh() {
    LIVE_PARTS.forEach(function (name) {
      var part = document.getElementById("part-" + name);
      if (part && part.dataset.offset === "0") { replacePart(name, 0).catch(function () {}); }
    });
    cards.forEach(function (card) { card.load(null, true); });
  }
  function poll() {
    fetch("/api/runs/" + encodeURIComponent(run), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (view) {
        if (view.last_seq !== lastSeq) { lastSeq = view.last_seq; refresh(); }
        if (view.live) { window.setTimeout(poll, Number(body.dataset.refresh || 5) * 1000); }
        else {
          refresh();
          var note = document.getElementById("live-note");
          if (note) { note.textContent = "the run is not live any more (status " + view.status + ")"; }
        }
      })
      .catch(function () { window.setTimeout(poll, Number(body.dataset.refresh || 5) * 2000); });
  }
  if (run && body.dataset.live === "true") {
    window.setTimeout(poll, Number(body.dataset.refresh || 5) * 1000);
  }
})();
