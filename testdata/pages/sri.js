(window.__order = window.__order || []).push('e');
document.documentElement.dataset.ran = (document.documentElement.dataset.ran || '') + ' e';
