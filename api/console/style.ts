// The console's one stylesheet, inlined in every page (a few KB: no extra request, nothing to cache-bust).
// Plain CSS: system fonts, a content column, tables that scroll sideways on a phone, a vertical flow.

export const CONSOLE_CSS = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f8fa;margin:0}
a{color:#0550ae}
.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.3rem}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.2rem;background:#24292f;color:#fff;padding:.6rem 1rem}
.top a{color:#fff;text-decoration:none}.brand{font-weight:600}
.top ul{display:flex;flex-wrap:wrap;gap:.2rem .9rem;list-style:none;margin:0;padding:0}
.top a[aria-current=page]{text-decoration:underline;text-underline-offset:4px}
.logout{margin-left:auto;display:flex;align-items:center;gap:.5rem;font-size:.9rem}
.who{color:#d0d7de;overflow-wrap:anywhere}
main{max-width:64rem;margin:0 auto;padding:1rem}
main p,main li,main dd{overflow-wrap:anywhere}
form button+a{margin-left:.8rem}
h1{font-size:1.4rem;margin:.4rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin:0 0 1rem}
.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
.narrow{max-width:28rem}
.muted{color:#57606a}.small{font-size:.85rem}
.ok{color:#116329}.bad{color:#a40e26}.warn{color:#7d4e00}
.pill{display:inline-block;border-radius:1rem;padding:0 .5rem;font-size:.8rem;border:1px solid currentColor;white-space:nowrap}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-weight:600;background:#f6f8fa;white-space:nowrap}
td.num,th.num{text-align:right}
form.inline{display:inline}
label{display:block;margin:.2rem 0}
input,select,button{font:inherit}
input[type=text],input[type=email],input[type=search],input[type=datetime-local],select{padding:.35rem .5rem;border:1px solid #8c959f;border-radius:6px;max-width:100%}
button{background:#0969da;color:#fff;border:0;border-radius:6px;padding:.4rem 1rem;cursor:pointer}
button.danger{background:#cf222e}button.secondary{background:#57606a}
button.link{background:none;color:inherit;text-decoration:underline;padding:0}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin-bottom:1rem}
.filters>div{min-width:0;max-width:100%}.filters select,.filters input{width:100%}
.numbers{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem}
.number{font-size:1.8rem;font-weight:600}
.flow{list-style:none;margin:0;padding:0}
.flow li{position:relative;margin:0 0 1rem 1.2rem;padding:.6rem .8rem;background:#fff;border:1px solid #d0d7de;border-radius:8px}
.flow li::before{content:"";position:absolute;left:-1.2rem;top:-1rem;bottom:-1rem;border-left:2px solid #8c959f;margin-left:.5rem}
.flow .flow{margin-top:.6rem}
.kind{font-family:ui-monospace,monospace;font-size:.85rem;background:#eaeef2;border-radius:4px;padding:0 .3rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.8rem;font-size:.85rem}
iframe{width:100%;height:28rem;border:1px solid #d0d7de;border-radius:8px;background:#fff}
.timeline{list-style:none;padding:0;margin:0}
.timeline li{padding:.3rem 0;border-bottom:1px dashed #d0d7de}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{color:#57606a}dl.facts dd{margin:0;overflow-wrap:anywhere}
.notice{border-left:4px solid #0969da;background:#ddf4ff;padding:.6rem .8rem;border-radius:4px;margin-bottom:1rem}
svg.trend{vertical-align:middle}
@media (max-width:40rem){main{padding:.6rem}.logout{margin-left:0}}
`;
