// The survey answers page (/console/survey-answers): a county or date picked in the filter applies at once.
// Everything shown comes from the server-rendered page; this file holds no data.
(() => {
  const form = document.getElementById('survey-answers-filter');
  if (!form) return;
  for (const field of form.querySelectorAll('select, input[type="date"]')) {
    field.addEventListener('change', () => form.requestSubmit());
  }
})();
