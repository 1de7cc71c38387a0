// Draws the dashboard charts from the JSON the page carries (no inline script: CSP).
// Without ECharts the tables stay visible; with it they become the charts' fallback.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var unitLabel = data.unit === "count" ? "" : data.unit;
  document.body.classList.add("charts-on");

  var trend = echarts.init(document.getElementById("chart-trend"));
  trend.setOption({
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.trend.map(function (p) { return p.month + "月"; }) },
    yAxis: { type: "value", name: unitLabel },
    series: [{ name: data.indicator, type: "line", data: data.trend.map(function (p) { return p.value; }), connectNulls: false }]
  });

  var rankingEl = document.getElementById("chart-ranking");
  rankingEl.style.height = Math.max(240, data.ranking.length * 26 + 60) + "px";
  var ranking = echarts.init(rankingEl);
  var names = data.ranking.map(function (r) { return r.name; }).reverse();
  ranking.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["实际", "目标"] },
    grid: { left: 140 },
    xAxis: { type: "value", name: unitLabel },
    yAxis: { type: "category", data: names },
    series: [
      { name: "实际", type: "bar", data: data.ranking.map(function (r) { return r.value; }).reverse() },
      { name: "目标", type: "scatter", symbol: "diamond", symbolSize: 12, data: data.ranking.map(function (r) { return r.target; }).reverse() }
    ]
  });
  // Drill down: a township opens its own dashboard, a village the residents behind its figure.
  ranking.on("click", function (params) {
    var row = data.ranking[data.ranking.length - 1 - params.dataIndex];
    var url = new URL(window.location.href);
    if (row.village) {
      window.location.href = data.members_url.replace("UNIT", row.code);
    } else {
      url.searchParams.set("unit", row.code);
      window.location.href = url.toString();
    }
  });
  window.addEventListener("resize", function () { trend.resize(); ranking.resize(); });
});
