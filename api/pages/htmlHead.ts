// The start of every HTML page Tend serves, up to the end of <head>: the signed-link pages (render.ts) and the
// console (api/console/view.ts) register it as the partial `head`. It reads `documentTitle` (escaped) and
// `css`, a constant stylesheet of the caller's (the only triple-stash).

export const HTML_HEAD_PARTIAL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>{{documentTitle}}</title>
<style>{{{css}}}</style>
</head>
`;
