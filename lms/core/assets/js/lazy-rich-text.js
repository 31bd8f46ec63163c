/*
 * Rich text fields of the Wagtail editor, started when they come near the screen.
 *
 * A lesson holds a dozen rich text fields (paragraphs, key points, each step of a procedure), and Wagtail starts a
 * Draftail editor for every one of them before the page can be used: most of the time an author waits for the
 * lesson editor. This widget keeps Wagtail's own Draftail (the definition it is given, unpacked by telepath) and
 * only delays it: until a field is within a screen of the viewport, focused or asked for its editor state, its value
 * stays in the hidden input Draftail itself would use, under the same name, so the form posts the same data.
 *
 * Registered with telepath as "lms.widgets.LazyRichTextArea" (lms.catalog.widgets.LazyDraftailRichTextArea).
 */
(function () {
  'use strict';

  function textOf(value, maxLength) {
    // The plain text of a Draftail contentstate, as Wagtail's own widget gives it for block labels.
    var data;
    try {
      data = JSON.parse(value || 'null');
    } catch (error) {
      return '';
    }
    if (!data || !data.blocks) return '';
    var result = '';
    for (var i = 0; i < data.blocks.length; i += 1) {
      var text = data.blocks[i].text;
      if (text) {
        result += result ? ' ' + text : text;
        if (maxLength && result.length > maxLength) return result.substring(0, maxLength - 1) + '…';
      }
    }
    return result;
  }

  function LazyBoundRichText(definition, container, name, id, initialState, parentCapabilities, options) {
    this.definition = definition;
    this.container = container;
    this.args = [name, id, parentCapabilities, options];
    this.bound = null;
    this.capabilityCalls = [];

    this.input = document.createElement('input');
    this.input.type = 'hidden';
    this.input.name = name;
    this.input.id = id;
    this.input.value = initialState;
    container.appendChild(this.input);

    // Until the editor starts: the text, read-only, in the editor's frame so that the page does not jump.
    this.preview = document.createElement('div');
    this.preview.className = 'Draftail-Editor lms-lazy-rich-text';
    this.preview.tabIndex = 0;
    this.preview.setAttribute('role', 'textbox');
    this.preview.setAttribute('aria-multiline', 'true');
    this.preview.setAttribute('aria-busy', 'true');
    this.preview.dataset.lazyRichText = '';
    var text = document.createElement('div');
    text.className = 'public-DraftEditor-content';
    text.style.whiteSpace = 'pre-wrap';
    text.style.padding = '0.75rem 1rem';
    text.textContent = textOf(initialState);
    this.preview.appendChild(text);
    container.appendChild(this.preview);

    var self = this;
    var startAndFocus = function () { self.start().focus(); };
    this.preview.addEventListener('focus', startAndFocus, { once: true });
    this.preview.addEventListener('click', startAndFocus, { once: true });
    window.lmsNearScreen.watch(this.preview, function () { self.start(); }, '100% 0px');
  }

  LazyBoundRichText.prototype.start = function () {
    if (this.bound) return this.bound;
    window.lmsNearScreen.unwatch(this.preview);
    var value = this.input.value;
    this.preview.remove();
    this.input.remove();
    this.bound = this.definition.render(
      this.container, this.args[0], this.args[1], value, this.args[2], this.args[3]);
    var bound = this.bound;
    this.capabilityCalls.forEach(function (call) { bound.setCapabilityOptions(call[0], call[1]); });
    this.capabilityCalls = [];
    return bound;
  };

  LazyBoundRichText.prototype.getValue = function () {
    return this.bound ? this.bound.getValue() : this.input.value;
  };

  LazyBoundRichText.prototype.getState = function () {
    // A serialised contentstate is a state Wagtail's Draftail widget accepts (a duplicated block starts from it).
    return this.bound ? this.bound.getState() : this.input.value;
  };

  LazyBoundRichText.prototype.setState = function (state) {
    if (!this.bound && typeof state === 'string') {
      this.input.value = state;
      this.preview.firstChild.textContent = textOf(state);
      return;
    }
    this.start().setState(state);
  };

  LazyBoundRichText.prototype.getTextLabel = function (opts) {
    return this.bound ? this.bound.getTextLabel(opts) : textOf(this.input.value, opts && opts.maxLength);
  };

  LazyBoundRichText.prototype.focus = function (opts) {
    if (!this.bound && opts && opts.soft) return;
    this.start().focus(opts);
  };

  LazyBoundRichText.prototype.setCapabilityOptions = function (capability, capabilityOptions) {
    if (this.bound) {
      this.bound.setCapabilityOptions(capability, capabilityOptions);
    } else {
      this.capabilityCalls.push([capability, capabilityOptions]);
    }
  };

  function LazyRichTextArea(definition) {
    this.definition = definition;
  }

  LazyRichTextArea.prototype.render = function (container, name, id, initialState, parentCapabilities, options) {
    if (typeof initialState !== 'string' || !('IntersectionObserver' in window)) {
      // An editor state (a block split from another one) needs the editor now.
      return this.definition.render(container, name, id, initialState, parentCapabilities, options);
    }
    return new LazyBoundRichText(this.definition, container, name, id, initialState, parentCapabilities, options);
  };

  window.telepath.register('lms.widgets.LazyRichTextArea', LazyRichTextArea);
})();
