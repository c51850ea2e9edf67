// The outcome report's charts (Chart.js, served by the console as /console/assets/chart.umd.min.js). The figures
// come from the page's <script type="application/json" id="report-data"> block; this file holds no data.
(() => {
  const block = document.getElementById('report-data');
  if (!block || typeof Chart === 'undefined') return;
  const data = JSON.parse(block.textContent || '{}');
  const base = { responsive: true, maintainAspectRatio: false, animation: false };
  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, { ...config, options: { ...base, ...(config.options || {}) } });
  };
  draw('chart-trained', {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { label: data.text.progress, data: data.progress, backgroundColor: '#2f6fb2' },
        { label: data.text.progressPoverty, data: data.progressPoverty, backgroundColor: '#e06c4f' },
      ],
    },
    options: { scales: { y: { min: 0, suggestedMax: 100 } } },
  });
  draw('chart-rates', {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [
        { label: data.text.attendance, data: data.attendance, backgroundColor: '#3a9d5d' },
        { label: data.text.pass, data: data.pass, backgroundColor: '#e0a526' },
        { label: data.text.employment, data: data.employment, backgroundColor: '#8e5bb5' },
      ],
    },
    options: { scales: { y: { min: 0, max: 100 } } },
  });
  draw('chart-subsidies', {
    type: 'doughnut',
    data: {
      labels: data.subsidyLabels,
      datasets: [
        { data: data.subsidies, backgroundColor: ['#bbb', '#e06c4f', '#2f6fb2', '#e0a526', '#3a9d5d'] },
      ],
    },
  });
  document.body.dataset.chartsDrawn = String(Chart.instances ? Object.keys(Chart.instances).length : 0);
})();
