/*
 * The questions of a quiz in the Wagtail page editor, built when the author reaches them.
 *
 * The quiz editor opens with its questions collapsed (one line each, with its prompt), yet Wagtail builds every field
 * of every question before the page can be used: most of the time an author waited for a quiz editor went there.
 * This definition is Wagtail's own StructBlock definition (lms.quizzes.blocks.QuestionBlockAdapter packs the same
 * arguments) with a lazy render: until a question is opened and on the screen, focused, or given an error, it keeps
 * the question's state and writes the fields the question would post as hidden inputs, under the names Wagtail's
 * blocks use (ListBlock's -count, -order, -deleted and -id included), so that the form, its autosave and its
 * "unsaved changes" check post the same data. Then it builds Wagtail's StructBlock in place, from the same state.
 *
 * Registered with telepath as "lms.blocks.LazyQuestion".
 */
(function () {
  'use strict';

  var blocks = window.wagtailStreamField.blocks;

  function hidden(container, name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    container.appendChild(input);
  }

  // The fields a block would post for a state, as hidden inputs; false when the block is not one this knows.
  function writeFields(definition, prefix, state, container) {
    if (definition instanceof blocks.StaticBlockDefinition) return true;
    if (definition instanceof blocks.StructBlockDefinition) {
      return definition.childBlockDefs.every(function (child) {
        return writeFields(child, prefix + '-' + child.name, (state || {})[child.name], container);
      });
    }
    if (definition instanceof blocks.ListBlockDefinition || definition.isChoiceList) {
      var items = state || [];
      hidden(container, prefix + '-count', String(items.length));
      return items.every(function (item, index) {
        var itemPrefix = prefix + '-' + index;
        hidden(container, itemPrefix + '-deleted', '');
        hidden(container, itemPrefix + '-order', String(index));
        hidden(container, itemPrefix + '-id', item.id || '');
        return definition.isChoiceList
          ? definition.writeItemFields(itemPrefix + '-value', item.value || {}, container, hidden)
          : writeFields(definition.childBlockDef, itemPrefix + '-value', item.value, container);
      });
    }
    if (definition instanceof blocks.FieldBlockDefinition) {
      if (state === true) {
        hidden(container, prefix, 'on'); // a ticked checkbox; an unticked one posts nothing
      } else if (state === false || state === null || state === undefined) {
        if (state !== false) hidden(container, prefix, '');
      } else if (Array.isArray(state)) {
        state.forEach(function (value) { hidden(container, prefix, value); }); // a select
      } else if (typeof state === 'object') {
        if (!('id' in state)) return false;
        hidden(container, prefix, state.id === null ? '' : String(state.id)); // a chooser posts the chosen id
      } else {
        hidden(container, prefix, String(state));
      }
      return true;
    }
    return false;
  }

  function textLabel(definition, state, maxLength) {
    // Wagtail's rule for a StructBlock: the first child that gives a label; here, the first text of the state.
    for (var i = 0; i < definition.childBlockDefs.length; i += 1) {
      var value = (state || {})[definition.childBlockDefs[i].name];
      if (typeof value === 'string' && value.trim()) {
        return maxLength && value.length > maxLength ? value.substring(0, maxLength - 1) + '…' : value;
      }
    }
    return null;
  }

  var observer = null;
  var pending = new Map();

  function watch(element, start) {
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting && pending.has(entry.target)) pending.get(entry.target)();
        });
      }, { rootMargin: '50% 0px' });
    }
    pending.set(element, start);
    observer.observe(element);
  }

  function unwatch(element) {
    if (observer) observer.unobserve(element);
    pending.delete(element);
  }

  function LazyQuestion(definition, placeholder, prefix, initialState, initialError) {
    this.blockDef = definition;
    this.type = definition.name;
    this.prefix = prefix;
    this.state = initialState || {};
    this.block = null;

    this.element = document.createElement('div');
    this.element.dataset.lazyQuestion = '';
    this.element.style.minHeight = '1px'; // seen by the observer once its panel is opened
    this.fields = document.createElement('div');
    this.element.appendChild(this.fields);
    var known = writeFields(definition, prefix, this.state, this.fields);
    placeholder.replaceWith(this.element); // once, with its fields: one change for the page's observers
    if (!known || initialError) {
      this.start();
      if (initialError) this.block.setError(initialError);
      return;
    }
    var self = this;
    this.element.addEventListener('focusin', function () { self.start(); });
    watch(this.element, function () { self.start(); });
  }

  LazyQuestion.prototype.start = function () {
    if (this.block) return this.block;
    unwatch(this.element);
    this.fields.remove();
    var placeholder = document.createElement('div');
    this.element.appendChild(placeholder);
    this.block = blocks.StructBlockDefinition.prototype.render.call(
      this.blockDef, placeholder, this.prefix, this.state, undefined);
    delete this.element.dataset.lazyQuestion;
    this.element.style.minHeight = '';
    return this.block;
  };

  LazyQuestion.prototype.setState = function (state) {
    if (this.block) {
      this.block.setState(state);
      return;
    }
    this.state = state;
    var fields = document.createElement('div');
    var known = writeFields(this.blockDef, this.prefix, this.state, fields);
    this.fields.replaceWith(fields);
    this.fields = fields;
    if (!known) this.start();
  };

  LazyQuestion.prototype.getState = function () {
    return this.block ? this.block.getState() : this.state;
  };

  LazyQuestion.prototype.getDuplicatedState = function () {
    return this.start().getDuplicatedState();
  };

  LazyQuestion.prototype.getValue = function () {
    return this.start().getValue();
  };

  LazyQuestion.prototype.getTextLabel = function (opts) {
    if (this.block) return this.block.getTextLabel(opts);
    return textLabel(this.blockDef, this.state, opts && opts.maxLength);
  };

  LazyQuestion.prototype.setError = function (error) {
    if (!error || (!error.messages && !error.blockErrors)) {
      if (this.block) this.block.setError(error);
      return;
    }
    this.start().setError(error);
  };

  LazyQuestion.prototype.focus = function (opts) {
    this.start().focus(opts);
  };

  class LazyQuestionDefinition extends blocks.StructBlockDefinition {
    render(placeholder, prefix, initialState, initialError) {
      if (!('IntersectionObserver' in window)) return super.render(placeholder, prefix, initialState, initialError);
      return new LazyQuestion(this, placeholder, prefix, initialState, initialError);
    }
  }

  window.telepath.register('lms.blocks.LazyQuestion', LazyQuestionDefinition);
})();
