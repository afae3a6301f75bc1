// The overview's charts (Chart.js from its WebJar): payments per bucket by status, and the success rate per operator.
// The figures come from the page's <script type="application/json" id="overview-data"> block; the same figures are
// in the page's tables.
(function () {
  "use strict";
  var COLOURS = {
    SUCCESS: "#1b7f3b", FAILED: "#b3261e", REFUNDED: "#e07b6f", NEEDS_REVIEW: "#a15c00",
    UNKNOWN: "#d9a441", PENDING: "#1f5fbf", INITIATED: "#8fa8d6"
  };

  function label(iso, bucket) {
    var d = new Date(iso);
    var hm = d.toISOString().substring(11, 16);
    return bucket === "minute" ? hm : d.toISOString().substring(5, 10) + " " + hm;
  }

  function draw() {
    var block = document.getElementById("overview-data");
    if (!block || typeof Chart === "undefined") {
      return;
    }
    var data = JSON.parse(block.textContent);
    var payments = document.getElementById("payments-chart");
    if (payments) {
      new Chart(payments, {
        type: "bar",
        data: {
          labels: data.labels.map(function (l) { return label(l, data.bucket); }),
          datasets: Object.keys(data.statuses).map(function (status) {
            return { label: status, data: data.statuses[status], backgroundColor: COLOURS[status] || "#777" };
          })
        },
        options: {
          maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true, title: { display: true, text: data.bucket + " (UTC)" } },
                    y: { stacked: true, beginAtZero: true, ticks: { precision: 0 },
                         title: { display: true, text: "payments per " + data.bucket } } }
        }
      });
    }
    var operators = document.getElementById("operators-chart");
    if (operators) {
      // the ten busiest operators with a final payment (the table has them all)
      var rated = data.operators.filter(function (o) { return o.successRate !== null; }).slice(0, 10);
      new Chart(operators, {
        type: "bar",
        data: {
          labels: rated.map(function (o) { return o.name; }),
          datasets: [{ label: "success rate (%)", data: rated.map(function (o) { return o.successRate; }),
                       backgroundColor: "#1b7f3b" }]
        },
        options: {
          maintainAspectRatio: false, animation: false, indexAxis: "y",
          scales: { x: { min: 0, max: 100, title: { display: true, text: "% of final payments that succeeded" } } }
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
