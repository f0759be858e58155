/* klynge site search: no framework, no third-party request. Reads the
   language's search.json (URL in data-index), folds the query the way the
   index was folded (src/render/search.rs, deunicode) and lists the matches. */
(function () {
  'use strict';
  var box = document.getElementById('search-results');
  var input = document.getElementById('q');
  if (!box || !input || !window.fetch) return;

  var S = {};
  try { S = JSON.parse(box.getAttribute('data-strings') || '{}'); } catch (e) { /* keep defaults */ }
  var pageLang = box.getAttribute('data-lang') || document.documentElement.lang || 'en';
  var KIND = { c: S.cluster, s: S.spa, n: S.news_item, l: S.location, p: S.page };

  // Letters that NFKD does not reduce to ASCII, as deunicode writes them:
  // each group is the letters followed by their ASCII spelling.
  var MAP = {};
  ('·əʼъь ßss æae ðđδдd øοωоo þθth ħh ıιиіi ĸκкk łλлl ŋng œoe ŧτтt αаa βбb ' +
   'γгґg εηеэe ζзz μмm νнn ξx πпp ρрr ςσсs υуu φph χхkh ψps вv жzh фf цts ' +
   'чch шsh щshch ыy юiu яia ѐєie ёio ђdj ѓgj ѕdz їyi јj љlj њnj ћtsh ќkj ' +
   'џdzh Ξks Єe').split(' ').forEach(function (g) {
    var m = /^([^a-z]*)([a-z]*)$/.exec(g);
    for (var i = 0; i < m[1].length; i++) MAP[m[1][i]] = m[2];
  });
  function map(s) {
    return s.replace(/[^\x00-\x7f]/g, function (c) { return c in MAP ? MAP[c] : c; });
  }
  function words(s) {
    var f = map(map(map(String(s)).toLowerCase()).normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
    return f.split(/[^a-z0-9]+/).filter(Boolean);
  }
  function fmt(s, vars) {
    return String(s || '').replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? vars[k] : m; });
  }
  var langName = function (code) { return code; };
  try {
    var names = new Intl.DisplayNames([pageLang], { type: 'language' });
    langName = function (code) { try { return names.of(code) || code; } catch (e) { return code; } };
  } catch (e) { /* older browser: the code will do */ }

  var docs = null;
  var loading = null;
  function load() {
    if (!loading) {
      loading = fetch(box.getAttribute('data-index'), { credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (list) {
          docs = list.map(function (d) {
            return { d: d, t: words(d.t), w: (d.w || '').split(' '), b: (d.b || '').split(' ') };
          });
        });
    }
    return loading;
  }

  // Same stem: the words share a beginning of at least 4 letters and differ
  // only in their last one or two, as inflected forms do (`rigas` finds
  // `riga`, `spaad` finds `spaa`, `helsesportsenteret` finds `…senter`).
  function stem(w, q) {
    if (q.length < 4 || w.length < 4 || Math.abs(w.length - q.length) > 2) return false;
    var n = 0;
    while (n < w.length && n < q.length && w.charCodeAt(n) === q.charCodeAt(n)) n++;
    return n >= 4 && w.length - n <= 2 && q.length - n <= 2;
  }

  // How well query word q matches a list of words: 3 exact, 2 prefix,
  // 1 same stem, 0 none.
  function hit(list, q, prefix) {
    var best = 0;
    for (var i = 0; i < list.length; i++) {
      var w = list[i];
      if (w === q) return 3;
      if (prefix && best < 2 && w.length > q.length && w.lastIndexOf(q, 0) === 0) best = 2;
      else if (best < 1 && stem(w, q)) best = 1;
    }
    return best;
  }

  function search(qs) {
    // Words shorter than 2 letters are not indexed; keep one only if it is
    // the last word (being typed) and matched as a prefix.
    var q = qs.filter(function (w, i) { return w.length > 1 || i === qs.length - 1; });
    var out = [];
    if (!q.length) return out;
    docs.forEach(function (x) {
      var score = 0;
      for (var i = 0; i < q.length; i++) {
        var last = i === q.length - 1;
        var h = hit(x.w, q[i], true);
        if (h) {
          score += (h === 3 ? 100 : h === 2 ? (last ? 60 : 40) : 35) + (hit(x.t, q[i], true) ? 30 : 0);
          continue;
        }
        h = hit(x.b, q[i], true);
        if (!h) return;
        score += h === 3 ? 10 : h === 2 ? (last ? 6 : 3) : 2;
      }
      out.push({ d: x.d, score: score });
    });
    var coll = window.Intl && Intl.Collator ? new Intl.Collator(pageLang) : null;
    out.sort(function (a, b) {
      return b.score - a.score ||
        (coll ? coll.compare(a.d.t, b.d.t) : (a.d.t < b.d.t ? -1 : a.d.t > b.d.t ? 1 : 0));
    });
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function render(query, results) {
    box.textContent = '';
    if (!query) return;
    var n = results.length;
    box.appendChild(el('p', 'search-count', n
      ? fmt(n === 1 && S.search_result_one ? S.search_result_one : S.search_results_count,
          { count: n.toLocaleString(pageLang), query: query })
      : fmt(S.search_no_results, { query: query })));
    if (!n) return;
    var ul = el('ul', 'item-list search-list');
    results.slice(0, 200).forEach(function (r) {
      var d = r.d;
      var li = el('li', 'item');
      var title = el('p', 'item-title');
      var a = el('a');
      a.href = d.u;
      if (d.g) {
        a.hreflang = d.g;
        a.appendChild(el('span', null, d.t)).lang = d.g;
      } else {
        a.textContent = d.t;
      }
      title.appendChild(a);
      if (d.g) {
        title.appendChild(document.createTextNode(' '));
        var tag = title.appendChild(el('abbr', 'lang-tag', d.g.toUpperCase()));
        tag.lang = d.g;
        tag.title = S.in_language ? fmt(S.in_language, { language: langName(d.g) }) : langName(d.g);
      }
      li.appendChild(title);
      var meta = el('p', 'item-meta');
      if (KIND[d.k]) meta.appendChild(el('span', 'kind', KIND[d.k]));
      if (d.l) meta.appendChild(el('span', 'place', d.l));
      if (meta.firstChild) li.appendChild(meta);
      if (d.s) {
        var s = li.appendChild(el('p', 'item-summary', d.s));
        if (d.g) s.lang = d.g;
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function setUrl(query) {
    if (!window.history || !history.replaceState) return;
    var u = new URL(window.location.href);
    if (query) u.searchParams.set('q', query); else u.searchParams.delete('q');
    if (u.href !== window.location.href) history.replaceState(history.state, '', u.href);
  }

  var shown = null;
  function run() {
    var query = input.value.trim();
    setUrl(query);
    if (query === shown) return;
    load().then(function () {
      var now = input.value.trim();
      if (now !== query || now === shown) return; // a newer run will follow
      shown = query;
      render(query, search(words(query)));
    }).catch(function (e) {
      if (window.console) console.error('search index:', e);
    });
  }

  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 100);
  });
  var form = input.form;
  if (form) form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run();
  } else {
    load().catch(function () {}); // warm up while the reader types
  }
})();
