/* global window */
/*
 * Drawing one conversation of the sandbox page as HTML: bubbles, cards with their buttons, markdown (already
 * rendered and escaped by the server), images and locations. Everything else is escaped here. Plain ES2017.
 */
(function () {
  'use strict';
  var ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(s) {
    return String(s === undefined || s === null ? '' : s).replace(/[&<>"']/g, function (c) {
      return ESC[c];
    });
  }

  var URL_RE = /https?:\/\/[^\s<>"'，。）)]+/g;
  /** Escaped text whose web addresses are links. */
  function linkify(text) {
    var out = '';
    var last = 0;
    String(text).replace(URL_RE, function (url, index) {
      out += esc(text.slice(last, index)) + '<a href="' + esc(url) + '">' + esc(url) + '</a>';
      last = index + url.length;
      return url;
    });
    return out + esc(text.slice(last));
  }

  function two(n) {
    return (n < 10 ? '0' : '') + n;
  }
  /** Asia/Shanghai wall-clock parts of an instant (no daylight saving there, so a fixed +8 h is exact). */
  function shanghai(ms) {
    var d = new Date(ms + 8 * 3600000);
    return {
      y: d.getUTCFullYear(),
      mo: d.getUTCMonth() + 1,
      d: d.getUTCDate(),
      h: d.getUTCHours(),
      mi: d.getUTCMinutes(),
      s: d.getUTCSeconds(),
      wd: d.getUTCDay(),
    };
  }
  function timeLabel(ms, weekdays) {
    var t = shanghai(ms);
    return t.mo + '月' + t.d + '日 ' + weekdays[t.wd] + ' ' + two(t.h) + ':' + two(t.mi);
  }

  function card(c, state, text) {
    if (state && state.recalled)
      return '<div class="bubble recalled" data-task="' + esc(c.taskId || '') + '">' + esc(text.recalled) + '</div>';
    var view = state && state.card ? state.card : c;
    var link = view.url && view.type !== 'button_interaction' ? view.url : '';
    var html =
      '<div class="card" data-task="' +
      esc(view.taskId || '') +
      '" data-type="' +
      esc(view.type) +
      '"' +
      (link ? ' data-url="' + esc(link) + '"' : '') +
      '>';
    html += '<div class="card-main"><div class="card-title">' + esc(view.title) + '</div>';
    if (view.description) html += '<div class="card-desc">' + linkify(view.description) + '</div>';
    if (view.rows && view.rows.length) {
      html +=
        '<dl class="card-rows">' +
        view.rows
          .map(function (r) {
            return '<dt>' + esc(r.key) + '</dt><dd>' + esc(r.value) + '</dd>';
          })
          .join('') +
        '</dl>';
    }
    html += '</div>';
    if (state && state.replaceName && !state.card)
      html += '<div class="card-done">' + esc(state.replaceName) + '</div>';
    else if (view.buttons && view.buttons.length) {
      html +=
        '<div class="card-buttons">' +
        view.buttons
          .map(function (b) {
            return (
              '<button type="button" class="style-' +
              esc(b.style) +
              '" data-key="' +
              esc(b.key) +
              '">' +
              esc(b.text) +
              '</button>'
            );
          })
          .join('') +
        '</div>';
    }
    if (link) html += '<div class="card-link">' + esc(text.cardOpen) + ' ›</div>';
    return html + '</div>';
  }

  function content(it, ctx) {
    var b = it.body;
    switch (b.kind) {
      case 'text':
        return '<div class="bubble">' + linkify(b.text) + '</div>';
      case 'markdown':
        return '<div class="bubble md">' + b.html + '</div>';
      case 'card':
        return card(b.card, it.state, ctx.text);
      case 'image':
        return b.src
          ? '<div class="image"><img alt="" src="' + esc(b.src) + '"></div>'
          : '<div class="bubble">' + esc(ctx.text.image) + '</div>';
      case 'location':
        return (
          '<div class="bubble loc"><span class="pin">📍</span> ' +
          esc(b.label || '') +
          '\n' +
          b.lat.toFixed(5) +
          ', ' +
          b.lng.toFixed(5) +
          '</div>'
        );
      default:
        return '<div class="bubble">' + esc(JSON.stringify(b)) + '</div>';
    }
  }

  function item(it, ctx) {
    if (it.body.kind === 'note') return '<div class="note">' + esc(it.body.text) + '</div>';
    var mine = it.from && it.from.id === ctx.me;
    var who = it.from ? it.from.name : ctx.botName;
    var cls = mine ? 'mine' : it.from ? 'other' : 'bot';
    var avatar = it.from ? who.slice(-2) : '助';
    var name = mine || (!ctx.group && it.from) ? '' : '<div class="who">' + esc(who) + '</div>';
    return (
      '<div class="msg ' +
      cls +
      '" data-seq="' +
      it.seq +
      '"><div class="avatar">' +
      esc(avatar) +
      '</div><div class="body">' +
      name +
      content(it, ctx) +
      '<div class="via">' +
      esc(it.via) +
      '</div></div></div>'
    );
  }

  /** The whole conversation, with a time line wherever five minutes (simulated) passed between items. */
  function conversation(items, ctx) {
    if (!items.length) return '<p class="empty">' + esc(ctx.text.empty) + '</p>';
    var html = '';
    var prev = null;
    items.forEach(function (it) {
      if (!prev || it.at - prev.at > 5 * 60000)
        html += '<div class="time">' + esc(timeLabel(it.at, ctx.text.weekdays)) + '</div>';
      html += item(it, ctx);
      prev = it;
    });
    return html;
  }

  window.SandboxRender = {
    esc: esc,
    linkify: linkify,
    two: two,
    shanghai: shanghai,
    timeLabel: timeLabel,
    conversation: conversation,
  };
})();
