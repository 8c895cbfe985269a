// A tiny script whose hash is put in the page.
document.documentElement.dataset.tides = "ready";
