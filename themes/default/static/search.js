/* klynge site search: no framework, no third-party request. Reads the
   language's search.json (URL in data-index), folds the query the way the
   index was folded (src/slug.rs, search_words) and lists the matches. */

/* The search words of a text, as src/slug.rs `search_words` makes them for
   the index: Latin, Greek and Cyrillic letters to ASCII (as deunicode
   writes them), Arabic and Hebrew letters kept with their variants made
   one and their vowel marks dropped, CJK runs as overlapping pairs, other
   letters and digits kept in lower case. */
var klyngeWords = (function () {
  'use strict';
  // Every Latin, Greek and Cyrillic letter as deunicode writes it, by
  // spelling. Generated from the index's own table: tests/it/search.rs
  // rewrites it when run with UPDATE_EXPECT=1.
  // BEGIN generated
  var SPELLING = {
    "!": "ǃ",
    "\"": "Ҍҍ",
    "&": "Ϗϗ",
    "'": "ɁɂʹЪЬъьԦԧ",
    "'n": "ŉ",
    "2": "Ƨƨƻ",
    "3": "Ǝ",
    "5": "Ƽƽ",
    "6": "Ƅƅ",
    "?": "ʔʕʖʡʢ",
    "@": "ƏǝəɚʘӘәӚӛ",
    "A": "ÀÁÂÃÄÅĀĂĄǍǞǠǺȀȂȦȺΆΑАӒԐԘḀẠẢẤẦẨẪẬẮẰẲẴẶἈἉἊἋἌἍἎἏᾈᾉᾊᾋᾌᾍᾎᾏᾸᾹᾺΆᾼ",
    "AE": "ÆǢǼ",
    "Ae": "Ӕ",
    "B": "ƁƂɃʙΒБḂḄḆ",
    "C": "ÇĆĈĊČƇȻʗḈ",
    "CH": "Ϭ",
    "Ch": "ЧҼӋӴ",
    "Ch'": "ҶҸҾ",
    "D": "ÐĎĐƉƊƋΔДԀḊḌḎḐḒ",
    "DZ": "ǄǱ",
    "Dch": "Ԭ",
    "Dj": "ЂԂ",
    "Dz": "ǅǲЅӠԆ",
    "Dzh": "ЏԪ",
    "E": "ÈÉÊËĒĔĖĘĚƐȄȆȨɆʚΈΉΕΗЄЕЭѢѦӬḔḖḘḚḜẸẺẼẾỀỂỄỆἘἙἚἛἜἝἨἩἪἫἬἭἮἯᾘᾙᾚᾛᾜᾝᾞᾟῈΈῊΉῌ",
    "F": "ƑɸϤФѲḞ",
    "G": "ĜĞĠĢƓƔǤǦǴʛΓϪГḠ",
    "G'": "ҐҒҔ",
    "Gh": "Ӷ",
    "Gj": "Ѓ",
    "H": "ĤĦȞʜͰϨҺӾḢḤḦḨḪ",
    "HV": "Ƕ",
    "I": "ÌÍÎÏĨĪĬĮİƖƗǏȈȊɪΊΐΙΪІЍИЙӢӤḬḮỈỊἸἹἺἻἼἽἾἿῘῙῚΊ",
    "IJ": "Ĳ",
    "Ia": "Я",
    "Ie": "ЀѤѨӖ",
    "Io": "ЁѬ",
    "Iu": "Ю",
    "J": "ĴɈͿЈ",
    "Jh": "Ҋ",
    "K": "ĶƘǨΚКḰḲḴ",
    "K'": "ҚҜҞҠӃ",
    "Kh": "ΧϦХҨ",
    "Kh'": "Ҳ",
    "Kj": "Ќ",
    "Ks": "ΞѮ",
    "L": "ĹĻĽĿŁȽʟΛЛԒԠԮḶḸḺḼ",
    "LJ": "Ǉ",
    "LL": "Ỻ",
    "Lh": "Ӆ",
    "Lj": "ǈЉԈ",
    "Lkh": "Ԕ",
    "M": "ΜМḾṀṂ",
    "Mh": "Ӎ",
    "N": "ÑŃŅŇƝǸȠΝНԢṄṆṈṊ",
    "N'": "ҢӇ",
    "NG": "ŋ",
    "NJ": "Ǌ",
    "Ng": "Ҥ",
    "Nh": "Ӊ",
    "Nj": "ǋЊԊ",
    "Ny": "Ԩ",
    "O": "ÒÓÔÕÖØŌŎŐƆƟƠǑǪǬǾȌȎȪȬȮȰɷΌΏΟΩОѠѪѺѼӦӨӪṌṎṐṒỌỎỐỒỔỖỘỚỜỞỠỢὈὉὊὋὌὍὨὩὪὫὬὭὮὯᾨᾩᾪᾫᾬᾭᾮᾯῸΌῺΏῼ",
    "OE": "Œɶ",
    "OI": "Ƣ",
    "OU": "Ȣ",
    "Ot": "Ѿ",
    "P": "ƤΠПṔṖ",
    "P'": "Ҧ",
    "Ph": "ΦԤ",
    "Ps": "ΨѰ",
    "Q": "ϘϞҀԚԞ",
    "R": "ŔŖŘȐȒɌʀʁΡРṘṚṜṞῤῥῬ",
    "R'": "Ҏ",
    "Rkh": "Ԗ",
    "S": "ŚŜŞŠȘʃʅʆͲΣϺϽСṠṢṤṦṨ",
    "S'": "Ҫ",
    "S.": "ϾϿ",
    "SH": "Ʃ",
    "Sh": "ϢϷШ",
    "Shch": "Щ",
    "Sj": "Ԍ",
    "Sp": "Ϡ",
    "Ss": "ẞ",
    "St": "Ϛ",
    "T": "ŢŤŦƬƮȚȾΤТṪṬṮṰ",
    "T'": "Ҭ",
    "TH": "ϴ",
    "Th": "ÞΘ",
    "Ti": "Ϯ",
    "Tj": "Ԏ",
    "Ts": "Ц",
    "Tsh": "Ћ",
    "Tts": "Ҵ",
    "U": "ÙÚÛÜŨŪŬŮŰŲƯǓǕǗǙǛȔȖɄʊΎΥΫϒϓϔЎУҮӮӰӲṲṴṶṸṺỤỦỨỪỬỮỰὙὛὝὟῨῩῪΎ",
    "U'": "Ұ",
    "V": "ƲВṼṾỼ",
    "W": "ŴƜǷɯɰͶϜԜẀẂẄẆẈ",
    "WW": "ʬ",
    "X": "ӼẊẌ",
    "Xh": "Ӻ",
    "Y": "ÝŶŸƱƳȜȲɎɥʏЫѴѶӸẎỲỴỶỸỾ",
    "YR": "Ʀ",
    "Yi": "Ї",
    "Z": "ŹŻŽƵȤʒʓΖЗӞẐẒẔ",
    "Z'": "Ҙ",
    "ZH": "ƷƸǮ",
    "Zh": "ЖӁӜ",
    "Zh'": "Җ",
    "Zj": "Ԅ",
    "]]": "ʭ",
    "^": "Ʌʌ",
    "`": "Ӏ",
    "a": "àáâãäåāăąǎǟǡǻȁȃȧɐɑɒάαаӐӑӓԑԙḁẚạảấầẩẫậắằẳẵặἀἁἂἃἄἅἆἇὰάᾀᾁᾂᾃᾄᾅᾆᾇᾰᾱᾲᾳᾴᾶᾷ",
    "ae": "æǣǽӕ",
    "b": "ƀƃɓβϐбḃḅḇ",
    "c": "çćĉċčƈȼɕϲḉ",
    "ch": "ϭчҽӌӵ",
    "ch'": "ҷҹҿ",
    "d": "ðďđƌƍȡɖɗδдԁḋḍḏḑḓẟ",
    "dZ": "ʤ",
    "db": "ȸ",
    "dch": "ԭ",
    "dj": "ђԃ",
    "dz": "ǆǳʣʥѕӡԇ",
    "dzh": "џԫ",
    "e": "èéêëēĕėęěȅȇȩɇɘɛɜɝɞέήεηϵеэѣѧӭḕḗḙḛḝẹẻẽếềểễệἐἑἒἓἔἕἠἡἢἣἤἥἦἧὲέὴήᾐᾑᾒᾓᾔᾕᾖᾗῂῃῄῆῇ",
    "f": "ƒϥфѳḟ",
    "fN": "ʩ",
    "g": "ĝğġģǥǧǵɠɡɢɣγϫгḡ",
    "g'": "ґғҕ",
    "gh": "ӷ",
    "gj": "ѓ",
    "h": "ĥħȟɦɧʮʯͱϩһӏӿḣḥḧḩḫẖ",
    "hv": "ƕ",
    "i": "ìíîïĩīĭįıǐȉȋɨɩͺίιϊийіѝӣӥḭḯỉịἰἱἲἳἴἵἶἷὶίιῐῑῒΐῖῗ",
    "ia": "я",
    "ie": "ѐєѥѩӗ",
    "ij": "ĳ",
    "io": "ёѭ",
    "iu": "ю",
    "j": "ĵǰȷɉɟʄʝϳј",
    "jh": "ҋ",
    "k": "ķĸƙǩʞκϰкḱḳḵ",
    "k'": "қҝҟҡӄ",
    "kh": "χϧхҩ",
    "kh'": "ҳ",
    "kj": "ќ",
    "ks": "ѯ",
    "l": "ĺļľŀłƚƛȴɫɬɭλлԓԡԯḷḹḻḽ",
    "lZ": "ɮ",
    "lh": "ӆ",
    "lj": "ǉљԉ",
    "lkh": "ԕ",
    "ll": "ỻ",
    "ls": "ʪ",
    "lz": "ʫ",
    "m": "ɱμмḿṁṃ",
    "mh": "ӎ",
    "n": "ñńņňƞǹȵɲɳɴνнԣṅṇṉṋ",
    "n'": "ңӈ",
    "ng": "Ŋҥ",
    "nh": "ӊ",
    "nj": "ǌњԋ",
    "ny": "ԩ",
    "o": "òóôõöøōŏőơǒǫǭǿȍȏȫȭȯȱɔɵοωόώоѡѫѻѽӧөӫṍṏṑṓọỏốồổỗộớờởỡợὀὁὂὃὄὅὠὡὢὣὤὥὦὧὸόὼώᾠᾡᾢᾣᾤᾥᾦᾧῲῳῴῶῷ",
    "oe": "œ",
    "oi": "ƣ",
    "ot": "ѿ",
    "ou": "ȣ",
    "p": "ƥπϖпṕṗ",
    "p'": "ҧ",
    "ph": "φϕԥ",
    "ps": "ψѱ",
    "q": "Ɋɋʠϙϟҁԛԟ",
    "qp": "ȹ",
    "r": "ŕŗřȑȓɍɹɺɻɼɽɾɿρϱрṙṛṝṟ",
    "r'": "ҏ",
    "r/": "ϼ",
    "rkh": "ԗ",
    "s": "śŝşšſșȿʂͳͻςσϹϻсṡṣṥṧṩẛẜẝ",
    "s'": "ҫ",
    "s.": "ͼͽ",
    "sh": "ƪϣϸш",
    "shch": "щ",
    "sj": "ԍ",
    "sp": "ϡ",
    "ss": "ß",
    "st": "ϛ",
    "t": "ţťŧƫƭțȶʇʈτтṫṭṯṱẗ",
    "t'": "ҭ",
    "tC": "ʨ",
    "tS": "ʧ",
    "th": "þθϑ",
    "ti": "ϯ",
    "tj": "ԏ",
    "ts": "ƾʦц",
    "tsh": "ћ",
    "tts": "ҵ",
    "u": "ùúûüũūŭůűųưǔǖǘǚǜȕȗɤʉΰυϋύуўѸѹүӯӱӳṳṵṷṹṻụủứừửữựὐὑὒὓὔὕὖὗὺύῠῡῢΰῦῧ",
    "u'": "ұ",
    "v": "ʋвṽṿỽ",
    "w": "ŵƿʍͷϝԝẁẃẅẇẉẘ",
    "x": "ξӽẋẍ",
    "xh": "ӻ",
    "y": "ýÿŷƴȝȳɏʎыѵѷӹẏẙỳỵỷỹỿ",
    "yi": "ї",
    "z": "źżžƶȥɀʐʑζзӟẑẓẕ",
    "z'": "ҙ",
    "zh": "ƹƺǯжӂӝ",
    "zh'": "җ",
    "zj": "ԅ",
    "|": "ǀ",
    "|=": "ǂ",
    "||": "ǁ"
  };
  // END generated
  var MAP = {};
  Object.keys(SPELLING).forEach(function (spelling) {
    Array.from(SPELLING[spelling]).forEach(function (c) { MAP[c] = spelling; });
  });
  function inRanges(n, ranges) {
    for (var i = 0; i < ranges.length; i += 2) if (n >= ranges[i] && n <= ranges[i + 1]) return true;
    return false;
  }
  var SKIPPED = [0x64B, 0x65F, 0x670, 0x670, 0x640, 0x640, 0x6D6, 0x6ED, 0x591, 0x5BD,
    0x5BF, 0x5BF, 0x5C1, 0x5C2, 0x5C4, 0x5C5, 0x5C7, 0x5C7];
  var RTL = [0x621, 0x64A, 0x66E, 0x6D3, 0x6D5, 0x6D5, 0x6FA, 0x6FF, 0x750, 0x77F,
    0x5D0, 0x5EA, 0x5F0, 0x5F2];
  var SAME = { '\u0622': '\u0627', '\u0623': '\u0627', '\u0625': '\u0627', '\u0671': '\u0627',
    '\u0649': '\u064A', '\u06CC': '\u064A', '\u0626': '\u064A', '\u0629': '\u0647',
    '\u0624': '\u0648', '\u06A9': '\u0643' };
  var CJK = [0x3040, 0x30FF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xF900, 0xFAFF, 0xAC00, 0xD7AF,
    0x1100, 0x11FF];
  var LATIN_GREEK_CYRILLIC = [0xC0, 0x2AF, 0x1E00, 0x1EFF, 0x370, 0x3FF, 0x1F00, 0x1FFF, 0x400, 0x52F];
  var LETTER = /[\p{Alphabetic}\p{N}]/u;
  var ALNUM = /[a-z0-9]/;

  return function (text) {
    var out = [], cur = '', run = [];
    function endRun() {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      run = [];
    }
    function endWord() { endRun(); if (cur) { out.push(cur); cur = ''; } }
    function letter(c) { endRun(); cur += c; }
    function ascii(t) {
      for (var i = 0; i < t.length; i++) {
        var c = t[i].toLowerCase();
        if (ALNUM.test(c) && t.charCodeAt(i) < 0x80) letter(c); else endWord();
      }
    }
    Array.from(String(text)).forEach(function (c) {
      var n = c.codePointAt(0);
      if (n < 0x80) ascii(c);
      else if (inRanges(n, SKIPPED)) { /* a mark inside a word */ }
      else if (n >= 0x660 && n <= 0x669) letter(String(n - 0x660));
      else if (n >= 0x6F0 && n <= 0x6F9) letter(String(n - 0x6F0));
      else if (c in SAME) letter(SAME[c]);
      else if (inRanges(n, RTL)) letter(c);
      else if (inRanges(n, CJK)) { if (cur) { out.push(cur); cur = ''; } run.push(c); }
      else if (inRanges(n, LATIN_GREEK_CYRILLIC) && /\p{Alphabetic}/u.test(c)) ascii(c in MAP ? MAP[c] : ' ');
      else if (LETTER.test(c)) letter(c.toLowerCase());
      else endWord();
    });
    endWord();
    return out;
  };
})();

(function () {
  'use strict';
  if (typeof document === 'undefined') return;
  var box = document.getElementById('search-results');
  var input = document.getElementById('q');
  if (!box || !input || !window.fetch) return;

  var S = {};
  try { S = JSON.parse(box.getAttribute('data-strings') || '{}'); } catch (e) { /* keep defaults */ }
  var pageLang = box.getAttribute('data-lang') || document.documentElement.lang || 'en';
  var KIND = { c: S.cluster, s: S.spa, n: S.news_item, e: S.event, l: S.location, p: S.page };

  var words = klyngeWords;
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

  /* The form of a count string for n: a table of CLDR plural forms gives
     the form of n's category in the page language (or `other`); a plain
     string serves every count, but for `one`, the older separate string
     for exactly one. */
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(pageLang) : null;
  function countForm(forms, n, one) {
    if (typeof forms === 'string') return n === 1 && one ? one : forms;
    var cat = plurals ? plurals.select(n) : (n === 1 ? 'one' : 'other');
    return forms[cat] || forms.other || '';
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
      ? fmt(countForm(S.search_results_count, n, S.search_result_one),
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
