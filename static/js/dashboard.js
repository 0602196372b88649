// The dashboard's two charts, drawn from the figures the page printed (#chart-data).
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!window.echarts) return;
  var trend = echarts.init(document.getElementById("trend-chart"));
  trend.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.received, data.labels.completed] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: data.labels.received, type: "line", data: data.received },
      { name: data.labels.completed, type: "line", data: data.completed },
    ],
  });
  var ranking = echarts.init(document.getElementById("ranking-chart"));
  ranking.setOption({
    tooltip: { trigger: "axis" },
    grid: { left: 140, right: 24, top: 16, bottom: 24 },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: data.units },
    series: [{ name: data.labels.composite, type: "bar", data: data.scores }],
  });
  window.addEventListener("resize", function () { trend.resize(); ranking.resize(); });
})();
