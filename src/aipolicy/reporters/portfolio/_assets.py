"""The HTML page's one style sheet and one script, fixed text, and the policy that admits them.

Neither holds anything from a submission or a pack: the page's content policy
(:data:`CSP`) admits exactly these two by their SHA-256 digests and nothing else, so text
that escaped its element could still not run or style anything. The script only adds to
a page that is complete without it: a sort on each table header and a filter box above
each table.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """\
:root{--fg:#1b1f24;--mute:#57606a;--line:#d0d7de;--bg:#fff;--alt:#f6f8fa;--pass:#1a7f37;\
--fail:#cf222e;--incomplete:#bf8700;--error:#8250df;--bar:#0969da}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);\
background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;\
border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:16px 0 6px}
.meta,.none,.more,figcaption,.count{color:var(--mute)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0;padding:0;list-style:none}
.cards li{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:120px;\
box-shadow:0 1px 2px rgba(0,0,0,.06)}
.cards b{display:block;font-size:22px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px;\
align-items:start}
.counts-row{grid-template-columns:repeat(auto-fit,minmax(300px,1fr))}
figure{margin:8px 0;border:1px solid var(--line);border-radius:6px;padding:8px;\
box-shadow:0 1px 2px rgba(0,0,0,.06)}
figure svg{max-width:100%;height:auto;display:block}
svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
svg .axis{stroke:var(--mute);stroke-width:1}
svg .bar{fill:var(--bar)}svg .pass{fill:var(--pass)}svg .fail{fill:var(--fail)}
svg .incomplete{fill:var(--incomplete)}svg .error{fill:var(--error)}
svg .expired{fill:var(--fail)}svg .today{stroke:var(--fail);stroke-width:2;\
stroke-dasharray:4 3}svg .track{fill:var(--alt)}
.key{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.key.pass{background:var(--pass)}.key.fail{background:var(--fail)}
.key.incomplete{background:var(--incomplete)}.key.error{background:var(--error)}
.key.expired{background:var(--fail)}.key.bar{background:var(--bar)}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}
section{content-visibility:auto;contain-intrinsic-size:auto 800px}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere}td.n,td[class^=st-]{white-space:nowrap}
th{background:var(--alt)}tbody tr:nth-child(even){background:#fbfcfd}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.alt{font-size:12px}.alt th,.alt td{padding:2px 6px}
.st-fail,.st-error,.st-expired,.st-overdue,.st-rejected,.st-prohibited{color:var(--fail);\
font-weight:600}
.st-incomplete,.st-stale,.st-expiring,.st-due_soon,.st-needs_review{color:var(--incomplete);\
font-weight:600}
th.sortable{cursor:pointer}th.sortable:after{content:" \\2195";color:var(--mute)}
th[aria-sort=ascending]:after{content:" \\2191"}th[aria-sort=descending]:after{content:" \\2193"}
.tools{display:flex;gap:8px;align-items:center;margin:4px 0}
.tools input{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px;\
min-width:240px}
@media print{
@page{size:A4;margin:12mm}
section{content-visibility:visible}
body{max-width:none;padding:0;font-size:10px}
.tools{display:none}
*{box-shadow:none!important}
section{break-before:page}section:first-of-type{break-before:auto}
h2,h3,caption{break-after:avoid}
tr,figure,.cards li{break-inside:avoid}
thead{display:table-header-group}
figure svg{max-width:180mm;max-height:120mm}
.grid{display:block}.chart{break-inside:avoid}
th.sortable:after{content:""}
.alt{font-size:9px}
@page wide{size:A4 landscape;margin:10mm}
#use-cases{page:wide}#use-cases table{font-size:8px}
td.n,td[class^=st-]{white-space:normal}th,td{overflow-wrap:anywhere;padding:2px 3px}
}
"""

JS = """\
(function(){'use strict';
function num(s){var v=parseFloat(s);return isNaN(v)?null:v}
function setup(t){
var head=t.tHead,body=t.tBodies[0];if(!head||!body)return;
var rows=Array.prototype.slice.call(body.rows),cells=head.rows[0].cells,dir=[],text=null;
Array.prototype.forEach.call(cells,function(th,i){
th.classList.add('sortable');th.tabIndex=0;th.setAttribute('aria-sort','none');
function go(){
var up=dir[i]!==1;dir=[];dir[i]=up?1:-1;var isnum=th.classList.contains('n');
Array.prototype.forEach.call(cells,function(c){c.setAttribute('aria-sort','none')});
th.setAttribute('aria-sort',up?'ascending':'descending');
var keyed=rows.map(function(r,k){var s=r.cells[i]?r.cells[i].textContent:'';
return{r:r,k:k,v:isnum?num(s):s}});
keyed.sort(function(a,b){var x=a.v,y=b.v,c;
if(x===y)c=0;else if(x===null)c=1;else if(y===null)c=-1;
else c=isnum?(x<y?-1:1):(x<y?-1:(x>y?1:0));
if(x!==null&&y!==null)c=up?c:-c;return c||a.k-b.k});
var f=document.createDocumentFragment();
keyed.forEach(function(e){f.appendChild(e.r)});body.appendChild(f)}
th.addEventListener('click',go);
th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){
e.preventDefault();go()}})});
if(rows.length<2)return;
var bar=document.createElement('div');bar.className='tools';
var box=document.createElement('input');box.type='search';box.placeholder='Filter rows';
box.setAttribute('aria-label','Filter the rows of: '+(t.caption?t.caption.textContent:'table'));
var out=document.createElement('span');out.className='count';out.setAttribute('aria-live','polite');
bar.appendChild(box);bar.appendChild(out);t.parentNode.insertBefore(bar,t);
box.addEventListener('input',function(){
if(text===null)text=rows.map(function(r){return r.textContent.toLowerCase()});
var q=box.value.toLowerCase(),shown=0;
rows.forEach(function(r,k){var hit=text[k].indexOf(q)>=0;r.hidden=!hit;if(hit)shown++});
out.textContent=q?shown+' of '+rows.length+' rows':''})}
Array.prototype.forEach.call(document.querySelectorAll('table.data'),setup)})();
"""


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


#: The page's content security policy: nothing loads, only this style sheet and this
#: script run, no form posts anywhere and no base URL can be set.
CSP = (f"default-src 'none'; style-src {_digest(CSS)}; script-src {_digest(JS)}; "
       "base-uri 'none'; form-action 'none'")
