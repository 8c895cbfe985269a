// gongsi search: loads this language's index (written by src/search.rs, which documents
// the format) and lists the pages holding the query's tokens. The tokenizer and the
// ranking mirror src/search.rs: Korean by syllable bigrams (one syllable alone as itself),
// everything else by lower-case word prefix, numbers without thousands separators.
(function () {
  'use strict';
  var form = document.querySelector('form[role="search"][data-index]');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var ds = form.dataset;
  var MAX = 50;
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var index = null;
  var loading = null;

  function isSyl(c) { var n = c.codePointAt(0); return n >= 0xac00 && n <= 0xd7a3; }
  function isDigit(c) { return c >= '0' && c <= '9'; }
  function isSpace(c) { return c !== '\n' && c !== '\r' && /\s/.test(c); }
  function fold(text) {
    return Array.from(text.normalize('NFC').replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).toLowerCase());
  }
  function thousands(cs, i) {
    return i > 0 && isDigit(cs[i - 1]) && cs.length > i + 3 && isDigit(cs[i + 1]) && isDigit(cs[i + 2])
      && isDigit(cs[i + 3]) && !(i + 4 < cs.length && isDigit(cs[i + 4]));
  }
  // Hangul runs ({h: [syllables], glued}) and words ({w}).
  function pieces(text) {
    var cs = fold(text), n = cs.length, out = [], i = 0, lastEnd = -1;
    while (i < n) {
      var c = cs[i];
      if (isSyl(c)) {
        var s = i;
        while (i < n && isSyl(cs[i])) i++;
        out.push({ h: cs.slice(s, i), glued: lastEnd >= 0 && cs.slice(lastEnd, s).every(isSpace) });
        lastEnd = i;
      } else if (WORD.test(c)) {
        var w = '';
        for (; i < n; i++) {
          c = cs[i];
          if (WORD.test(c) && !isSyl(c)) w += c;
          else if (c === ',' && thousands(cs, i)) continue;
          else if (c === '.' && i > 0 && isDigit(cs[i - 1]) && i + 1 < n && isDigit(cs[i + 1])) w += c;
          else break;
        }
        out.push({ w: w });
      } else i++;
    }
    return out;
  }
  // Query tokens: {t, prefix}, each once.
  function queryTokens(q) {
    var out = [], seen = {};
    function push(t, prefix) {
      var k = (prefix ? 'p' : 'e') + t;
      if (!seen[k]) { seen[k] = 1; out.push({ t: t, prefix: prefix }); }
    }
    pieces(q).forEach(function (p) {
      if (p.w !== undefined) push(p.w, true);
      else if (p.h.length === 1) push(p.h[0], false);
      else for (var j = 0; j + 1 < p.h.length; j++) push(p.h[j] + p.h[j + 1], false);
    });
    return out;
  }
  function titleTokens(text) {
    var out = [], prev = null;
    pieces(text).forEach(function (p) {
      if (p.w !== undefined) { out.push(p.w); return; }
      if (p.glued && prev) out.push(prev + p.h[0]);
      for (var j = 0; j < p.h.length; j++) {
        out.push(p.h[j]);
        if (j + 1 < p.h.length) out.push(p.h[j] + p.h[j + 1]);
      }
      prev = p.h[p.h.length - 1];
    });
    return out;
  }

  // Postings: base-32 deltas, the last digit of each from LAST, any before it from MORE.
  var LAST = '0123456789abcdefghijklmnopqrstuv', MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_';
  function decode(s, ids) {
    var id = 0, n = 0;
    for (var j = 0; j < s.length; j++) {
      var m = MORE.indexOf(s[j]);
      if (m >= 0) { n = n * 32 + m; continue; }
      id += n * 32 + LAST.indexOf(s[j]);
      ids.add(id);
      n = 0;
    }
  }
  // Documents holding a token: one term exactly, or every term it prefixes.
  function lookup(tok) {
    var terms = index.terms, lo = 0, hi = terms.length, ids = new Set();
    while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < tok.t) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < terms.length; i++) {
      if (tok.prefix ? !terms[i].startsWith(tok.t) : terms[i] !== tok.t) break;
      decode(index.postings[i], ids);
    }
    return ids;
  }
  function search(q) {
    var tokens = queryTokens(q), n = tokens.length, matched = new Map(), best = 0;
    tokens.forEach(function (tok) {
      lookup(tok).forEach(function (id) {
        var m = (matched.get(id) || 0) + 1;
        matched.set(id, m);
        if (m > best) best = m;
      });
    });
    var floor = best === n ? n : Math.ceil(n / 2), hits = [];
    matched.forEach(function (m, id) {
      if (m < floor) return;
      var title = index.docs[id][0], words = titleTokens(title);
      var inTitle = tokens.filter(function (tok) {
        return words.some(function (w) { return tok.prefix ? w.startsWith(tok.t) : w === tok.t; });
      }).length;
      // Of two titles that match, the shorter is the more specific.
      hits.push([m, inTitle, inTitle > 0 ? Array.from(title).length : 0, id]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || b[1] - a[1] || a[2] - b[2] || a[3] - b[3]; });
    return { ids: hits.map(function (h) { return h[3]; }), partial: n > 0 && best < n };
  }

  function say(template, q, count) {
    status.textContent = template.replace('{q}', q).replace('{n}', String(count)).replace('{shown}', String(MAX));
  }
  function show(q) {
    list.textContent = '';
    if (!q.trim()) { status.textContent = ''; return; }
    var r = search(q), n = r.ids.length;
    if (n === 0) say(ds.none, q, 0);
    else say(r.partial ? ds.partial : (n === 1 ? ds.one : ds.many), q, n);
    var base = (ds.base || '').replace(/\/+$/, '');
    r.ids.slice(0, MAX).forEach(function (id) {
      var d = index.docs[id];
      var li = document.createElement('li');
      var h = document.createElement('h2');
      var a = document.createElement('a');
      a.href = base + d[1];
      a.textContent = d[0];
      h.appendChild(a);
      var kind = document.createElement('span');
      kind.className = 'search-kind';
      kind.textContent = ds['kind' + d[3].charAt(0).toUpperCase() + d[3].slice(1)] || '';
      h.appendChild(document.createTextNode(' '));
      h.appendChild(kind);
      li.appendChild(h);
      if (d[2]) { var p = document.createElement('p'); p.textContent = d[2]; li.appendChild(p); }
      list.appendChild(li);
    });
    if (n > MAX) {
      var more = document.createElement('li');
      more.className = 'search-more';
      more.textContent = ds.more.replace('{shown}', String(MAX));
      list.appendChild(more);
    }
  }
  function load() {
    if (!loading) {
      status.textContent = ds.loading;
      loading = fetch(ds.index).then(function (res) {
        if (!res.ok) throw new Error(res.status);
        return res.json();
      }).then(function (data) {
        if (data.version !== 1) throw new Error('index version ' + data.version);
        index = { docs: data.docs, terms: data.terms.split(' '), postings: data.postings.split(' ') };
      });
    }
    return loading;
  }
  function run(q) {
    return load().then(function () { show(q); }, function () { status.textContent = ds.error; });
  }

  var timer = null;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var q = input.value;
    var url = new URL(location.href);
    if (q.trim()) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    run(q);
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) { input.value = initial; run(initial); }
})();
