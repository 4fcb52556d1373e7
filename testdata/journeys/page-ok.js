// The host page's own script: it always runs, whatever the widget does.
window.pageOK = true;
