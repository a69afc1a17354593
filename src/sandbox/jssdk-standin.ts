/**
 * A stand-in for the WeCom JS-SDK (`wx`) used by the sandbox and the browser tests: it accepts `wx.config` and
 * `wx.agentConfig` (keeping their arguments on `window.__wxCalls` so tests can check the signatures), and
 * `getLocation` answers with the location chosen on the sandbox page (localStorage `zhucun.sandbox.location`,
 * `{"latitude":…, "longitude":…}`), or fails when none is chosen, as a phone without location permission does.
 */
export const jssdkStandIn = `(function () {
  var calls = window.__wxCalls = { config: null, agentConfig: null, getLocation: 0 };
  var readyFns = [], errorFns = [], configured = false;
  function later(fn) { setTimeout(fn, 0); }
  window.wx = {
    config: function (c) { calls.config = c; configured = true; later(function () { readyFns.forEach(function (f) { f(); }); }); },
    ready: function (f) { if (configured) later(f); else readyFns.push(f); },
    error: function (f) { errorFns.push(f); },
    agentConfig: function (c) {
      calls.agentConfig = c;
      later(function () { (c.signature ? c.success : c.fail)({ errMsg: 'agentConfig:ok' }); });
    },
    getLocation: function (o) {
      calls.getLocation += 1;
      var raw = null;
      try { raw = localStorage.getItem('zhucun.sandbox.location'); } catch (e) { raw = null; }
      later(function () {
        if (!raw) { o.fail && o.fail({ errMsg: 'getLocation:fail auth deny' }); return; }
        var p = JSON.parse(raw);
        o.success({ latitude: p.latitude, longitude: p.longitude, accuracy: p.accuracy || 30, speed: 0 });
      });
    }
  };
})();`;
