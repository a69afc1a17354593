/* global window, document, localStorage, clearTimeout, setInterval, confirm */
/*
 * The sandbox page's behaviour: choose who you are, follow your conversations (polled every 1.5 s), send
 * messages, locations and card clicks, move the simulated clock, run jobs, reset the sample data. The page only
 * calls /sandbox/api/…; the server turns each action into a real WeCom callback. Plain ES2017.
 */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sandbox-data').textContent);
  var T = data.text;
  var R = window.SandboxRender;
  var LOCATION_KEY = 'zhucun.sandbox.location';
  var $ = function (id) {
    return document.getElementById(id);
  };
  var state = {
    people: null,
    me: null,
    active: 'app',
    version: '',
    conversations: [],
    seen: {},
    clock: null,
    timer: null,
    location: null,
  };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] === undefined ? '' : values[k];
    });
  }

  function api(path, body) {
    var init =
      body === undefined
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return fetch('/sandbox/api/' + path, init).then(function (res) {
      return res
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          if (!res.ok) throw new Error(json.error || String(res.status));
          return json;
        });
    });
  }

  function showError(err) {
    var box = $('error');
    box.textContent = err ? T.failed + (err.message || err) : '';
    box.hidden = !err;
  }

  // ---- who am I ------------------------------------------------------------------------------------------
  function fillPeople() {
    var select = $('person');
    state.people.groups.forEach(function (g) {
      var group = document.createElement('optgroup');
      group.label = g.label;
      g.people.forEach(function (p) {
        var o = document.createElement('option');
        o.value = p.userid;
        o.textContent = p.line;
        group.appendChild(o);
      });
      select.appendChild(group);
    });
    select.onchange = function () {
      if (!select.value) return;
      api('as', { userid: select.value }).then(loadMe).catch(showError);
    };
  }

  function loadMe() {
    return api('me').then(function (me) {
      state.me = me.person ? me : null;
      $('person').value = me.person ? me.person.userid : '';
      $('me-line').textContent = me.person ? me.person.line : '';
      if (
        !me.conversations.some(function (c) {
          return c.id === state.active;
        })
      )
        state.active = 'app';
      state.version = '';
      state.seen = {};
      $('messages').dataset.chat = '';
      drawPlaces();
      refresh();
    });
  }

  // ---- conversations -------------------------------------------------------------------------------------
  function poll() {
    clearTimeout(state.timer);
    return api('chats?since=' + state.version)
      .then(function (r) {
        if (r.changed) {
          state.version = r.version;
          state.conversations = r.conversations;
          drawChats();
        }
      })
      .catch(function () {
        /* the next poll tries again */
      })
      .then(function () {
        state.timer = setTimeout(poll, 1500);
      });
  }
  function refresh() {
    return poll();
  }

  function lastSeq(conv) {
    return conv.items.length ? conv.items[conv.items.length - 1].seq : 0;
  }

  function drawChats() {
    drawChips();
    var tabs = $('tabs');
    tabs.innerHTML = '';
    state.conversations.forEach(function (c) {
      // What was there when this person was chosen counts as read.
      if (state.seen[c.id] === undefined) state.seen[c.id] = lastSeq(c);
      var b = document.createElement('button');
      b.type = 'button';
      b.dataset.chat = c.id;
      b.className = c.id === state.active ? 'active' : '';
      var unread = c.items.filter(function (i) {
        return i.seq > (state.seen[c.id] || 0) && (!i.from || !state.me || i.from.id !== state.me.person.userid);
      }).length;
      b.innerHTML =
        R.esc(c.title) + (c.id !== state.active && unread ? '<span class="badge">' + unread + '</span>' : '');
      b.onclick = function () {
        state.active = c.id;
        drawChats();
      };
      tabs.appendChild(b);
    });
    var conv = state.conversations.filter(function (c) {
      return c.id === state.active;
    })[0];
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    if (!conv) {
      box.innerHTML = '<p class="empty">' + R.esc(T.pickFirst) + '</p>';
      return;
    }
    var fresh = lastSeq(conv) > state.seen[conv.id] || box.dataset.chat !== conv.id;
    box.dataset.chat = conv.id;
    state.seen[conv.id] = lastSeq(conv);
    box.innerHTML = R.conversation(conv.items, {
      me: state.me && state.me.person.userid,
      text: T,
      botName: data.botName,
      group: conv.id !== 'app',
    });
    if (atBottom || fresh) box.scrollTop = box.scrollHeight;
  }

  function send(text) {
    if (!text) return Promise.resolve();
    showError(null);
    return api('send', { chat: state.active, text: text })
      .then(refresh)
      .catch(function (e) {
        showError(e);
        refresh();
      });
  }

  function openLink(url) {
    var local =
      url.indexOf(data.publicUrl) === 0
        ? url.slice(data.publicUrl.length) || '/'
        : url.indexOf(window.location.origin) === 0
          ? url.slice(window.location.origin.length)
          : null;
    if (!local) {
      window.open(url, '_blank', 'noopener');
      return;
    }
    $('browser-frame').src = local;
    $('browser-open').href = local;
    $('browser').hidden = false;
  }

  $('messages').addEventListener('click', function (ev) {
    var button = ev.target.closest('button[data-key]');
    var cardEl = ev.target.closest('.card');
    var link = ev.target.closest('a[href]');
    if (button && cardEl) {
      button.disabled = true;
      api('click', {
        chat: state.active,
        taskId: cardEl.dataset.task,
        key: button.dataset.key,
        cardType: cardEl.dataset.type,
      })
        .then(refresh)
        .catch(showError);
    } else if (link) {
      ev.preventDefault();
      openLink(link.getAttribute('href'));
    } else if (cardEl && cardEl.dataset.url) openLink(cardEl.dataset.url);
  });
  $('composer').onsubmit = function (ev) {
    ev.preventDefault();
    var text = $('text').value.trim();
    $('text').value = '';
    send(text);
  };
  /**
   * Quick messages for the open conversation: personal ones (my attendance, my leave, a leave request) only in
   * the chat with the app, where nobody else reads the answer; a group chat gets the neutral ones.
   */
  function drawChips() {
    var kind = state.active === 'app' ? 'app' : 'group';
    var box = $('chips');
    if (box.dataset.kind === kind) return;
    box.dataset.kind = kind;
    box.innerHTML = '';
    T.quick[kind].forEach(function (q) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = q;
      b.onclick = function () {
        send(q);
      };
      box.appendChild(b);
    });
    $('text').placeholder = kind === 'app' ? T.placeholder : T.placeholderGroup;
  }
  $('browser-close').onclick = function () {
    $('browser').hidden = true;
    $('browser-frame').src = 'about:blank';
  };

  // ---- clock and jobs ------------------------------------------------------------------------------------
  function setClock(c) {
    state.clock = { ms: Date.parse(c.now), at: performance.now(), movable: c.movable };
    document.querySelectorAll('[data-shift], #clock-set, #clock-real').forEach(function (b) {
      b.disabled = !c.movable;
    });
    tick(true);
  }
  function simNow() {
    return state.clock ? state.clock.ms + (performance.now() - state.clock.at) : Date.now();
  }
  function tick(setInput) {
    var t = R.shanghai(simNow());
    $('sim-now').textContent =
      t.y +
      '年' +
      t.mo +
      '月' +
      t.d +
      '日 ' +
      T.weekdays[t.wd] +
      ' ' +
      R.two(t.h) +
      ':' +
      R.two(t.mi) +
      ':' +
      R.two(t.s);
    if (setInput)
      $('clock-input').value = t.y + '-' + R.two(t.mo) + '-' + R.two(t.d) + 'T' + R.two(t.h) + ':' + R.two(t.mi);
  }
  function moveClock(body) {
    return api('clock', body).then(setClock).catch(showError);
  }
  $('clock-set').onclick = function () {
    var v = $('clock-input').value;
    if (v) moveClock({ at: v.slice(0, 16) + ':00+08:00' });
  };
  document.querySelectorAll('[data-shift]').forEach(function (b) {
    b.onclick = function () {
      moveClock({ shiftMs: Number(b.dataset.shift) });
    };
  });
  $('clock-real').onclick = function () {
    moveClock({ real: true });
  };

  function drawJobs(list) {
    var box = $('jobs');
    if (!list.length) {
      box.textContent = T.jobsNone;
      return;
    }
    list.forEach(function (j) {
      var b = document.createElement('button');
      b.type = 'button';
      b.dataset.job = j.id;
      b.title = j.schedule;
      b.textContent = j.name;
      b.onclick = function () {
        b.disabled = true;
        api('jobs/run', { id: j.id })
          .then(function (r) {
            $('job-result').textContent = fill(T.jobRan, { name: j.name, sent: r.sent });
          })
          .catch(function (e) {
            $('job-result').textContent = fill(T.jobFailed, { name: j.name, why: e.message });
          })
          .then(function () {
            b.disabled = false;
            refresh();
          });
      };
      box.appendChild(b);
    });
  }

  // ---- location ------------------------------------------------------------------------------------------
  function setLocation(lat, lng, label) {
    state.location = { lat: lat, lng: lng, label: label };
    localStorage.setItem(LOCATION_KEY, JSON.stringify({ latitude: lat, longitude: lng, accuracy: 30, label: label }));
    $('loc-now').textContent = fill(T.locationNow, { label: label, lat: lat.toFixed(5), lng: lng.toFixed(5) });
    $('lat').value = lat;
    $('lng').value = lng;
    drawMap();
  }
  function drawMap() {
    if (!state.people) return;
    window.SandboxMap.draw($('map'), state.people.map, state.location, function (lat, lng) {
      setLocation(lat, lng, T.picked);
    });
  }
  function drawPlaces() {
    var box = $('places');
    box.innerHTML = '';
    (state.me ? state.me.places : []).forEach(function (p) {
      var b = document.createElement('button');
      b.type = 'button';
      b.dataset.place = p.id;
      b.textContent = p.label;
      b.onclick = function () {
        setLocation(p.lat, p.lng, p.address);
      };
      box.appendChild(b);
    });
  }
  $('loc-apply').onclick = function () {
    var lat = Number($('lat').value);
    var lng = Number($('lng').value);
    if ($('lat').value && $('lng').value && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) setLocation(lat, lng, T.typed);
  };
  function withLocation(path) {
    return function () {
      if (!state.location) return;
      showError(null);
      api(path, state.location).then(refresh).catch(showError);
    };
  }
  $('loc-send').onclick = withLocation('location');
  $('loc-auto').onclick = withLocation('enter');

  $('reset').onclick = function () {
    if (!confirm(T.resetConfirm)) return;
    $('reset').disabled = true;
    api('reset', {})
      .then(function () {
        $('reset-result').textContent = T.resetDone;
        state.seen = {};
        state.version = '';
        return refresh();
      })
      .catch(showError)
      .then(function () {
        $('reset').disabled = false;
      });
  };

  /** The location chosen earlier in this browser; a corrupt entry counts as none. */
  function savedLocation() {
    try {
      return JSON.parse(localStorage.getItem(LOCATION_KEY) || 'null');
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
    } catch (err) {
      return null;
    }
  }

  // ---- start ---------------------------------------------------------------------------------------------
  drawChips();
  var saved = savedLocation();
  if (saved) state.location = { lat: saved.latitude, lng: saved.longitude, label: saved.label || T.picked };
  setInterval(function () {
    tick(false);
  }, 1000);
  Promise.all([api('people'), api('clock'), api('jobs')])
    .then(function (r) {
      state.people = r[0];
      data.publicUrl = r[0].publicUrl;
      fillPeople();
      setClock(r[1]);
      drawJobs(r[2].jobs);
      if (state.location) setLocation(state.location.lat, state.location.lng, state.location.label);
      else drawMap();
      return loadMe();
    })
    .catch(showError);
})();
