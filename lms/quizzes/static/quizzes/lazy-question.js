/*
 * The questions of a quiz in the Wagtail page editor, built when the author reaches them.
 *
 * The quiz editor opens with its questions collapsed (one line each, with its prompt), yet Wagtail builds every field
 * of every question before the page can be used: most of the time an author waited for a quiz editor went there.
 * This definition is Wagtail's own StructBlock definition (lms.quizzes.blocks.QuestionBlockAdapter packs the same
 * arguments) with a lazy render: until a question is opened and on the screen, focused, or given an error, it keeps
 * the question's state, and adds the fields the question would post to every FormData built from the form (its
 * `formdata` event), under the names Wagtail's blocks use (ListBlock's -count, -order, -deleted and -id included):
 * the submission, the autosave, the preview and the "unsaved changes" check read the same data, and a waiting
 * question puts no input in the page. Then it builds Wagtail's StructBlock in place, from the same state.
 *
 * Registered with telepath as "lms.blocks.LazyQuestion".
 */
(function () {
  'use strict';

  var blocks = window.wagtailStreamField.blocks;

  // The fields a block would post for a state, given to emit(name, value); false when the block is not one this
  // knows (the question is then built at once).
  function fieldsOf(definition, prefix, state, emit) {
    if (definition instanceof blocks.StaticBlockDefinition) return true;
    if (definition instanceof blocks.StructBlockDefinition) {
      return definition.childBlockDefs.every(function (child) {
        return fieldsOf(child, prefix + '-' + child.name, (state || {})[child.name], emit);
      });
    }
    if (definition instanceof blocks.ListBlockDefinition || definition.isChoiceList) {
      var items = state || [];
      emit(prefix + '-count', String(items.length));
      return items.every(function (item, index) {
        var itemPrefix = prefix + '-' + index;
        if (definition.isChoiceList) return definition.itemFields(itemPrefix, index, item, emit); // its row's order
        emit(itemPrefix + '-deleted', ''); // Wagtail's list item: these four hidden inputs, then the value's fields
        emit(itemPrefix + '-order', String(index));
        emit(itemPrefix + '-type', '');
        emit(itemPrefix + '-id', item.id || '');
        return fieldsOf(definition.childBlockDef, itemPrefix + '-value', item.value, emit);
      });
    }
    if (definition instanceof blocks.FieldBlockDefinition) {
      if (state === true) {
        emit(prefix, 'on'); // a ticked checkbox; an unticked one posts nothing
      } else if (state === null || state === undefined) {
        emit(prefix, '');
      } else if (Array.isArray(state)) {
        state.forEach(function (value) { emit(prefix, String(value)); }); // a select
      } else if (typeof state === 'object') {
        if (!('id' in state)) return false;
        emit(prefix, state.id === null ? '' : String(state.id)); // a chooser posts the chosen id
      } else if (state !== false) {
        emit(prefix, String(state));
      }
      return true;
    }
    return false;
  }

  // A waiting question has no input in the page: whenever the form's data is gathered (submission, autosave,
  // preview, the "unsaved changes" check all build a FormData), the form's `formdata` event adds its fields, where
  // the built question's inputs would be (after its stream child's own -deleted, -order, -type and -id) and in
  // their order: Wagtail's "unsaved changes" check compares the data as a string, so a question opened and left as
  // it was must give the same string, or the editor would warn of changes and save a draft that changes nothing.
  var waiting = new Set();
  var listened = new WeakSet();

  function listen(form) {
    if (listened.has(form)) return;
    listened.add(form);
    form.addEventListener('formdata', function (event) {
      var after = new Map(); // the name of the entry after which a question's fields go -> its fields
      waiting.forEach(function (question) {
        if (question.element.isConnected && question.element.closest('form') === form) {
          after.set(question.prefix.replace(/-value$/, '') + '-id', question.entries);
        }
      });
      if (!after.size) return;
      var data = event.formData;
      var entries = Array.from(data.entries());
      Array.from(new Set(entries.map(function (entry) { return entry[0]; }))).forEach(function (name) {
        data.delete(name);
      });
      entries.forEach(function (entry) {
        data.append(entry[0], entry[1]);
        var fields = after.get(entry[0]);
        if (fields) {
          fields.forEach(function (field) { data.append(field[0], field[1]); });
          after.delete(entry[0]);
        }
      });
      after.forEach(function (fields) { // a question without its child's inputs (none known today): at the end
        fields.forEach(function (field) { data.append(field[0], field[1]); });
      });
    });
  }

  function entriesOf(definition, prefix, state) {
    var entries = [];
    var known = fieldsOf(definition, prefix, state, function (name, value) { entries.push([name, value]); });
    return known ? entries : null;
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

  function LazyQuestion(definition, placeholder, prefix, initialState, initialError) {
    this.blockDef = definition;
    this.type = definition.name;
    this.prefix = prefix;
    this.state = initialState || {};
    this.block = null;

    this.element = document.createElement('div');
    this.element.dataset.lazyQuestion = '';
    this.element.style.minHeight = '1px'; // seen by the observer once its panel is opened
    var form = placeholder.closest('form');
    placeholder.replaceWith(this.element);
    this.entries = entriesOf(definition, prefix, this.state);
    if (!form || !this.entries || initialError) {
      this.start();
      if (initialError) this.block.setError(initialError);
      return;
    }
    listen(form);
    waiting.add(this);
    var self = this;
    this.element.addEventListener('focusin', function () { self.start(); });
    window.lmsNearScreen.watch(this.element, function () { self.start(); }, '50% 0px');
  }

  LazyQuestion.prototype.start = function () {
    if (this.block) return this.block;
    waiting.delete(this);
    window.lmsNearScreen.unwatch(this.element);
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
    this.entries = entriesOf(this.blockDef, this.prefix, this.state);
    if (!this.entries) this.start();
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
