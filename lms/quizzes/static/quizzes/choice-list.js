/*
 * The choices of a question in the Wagtail page editor: one table, a row per choice.
 *
 * Wagtail's list editor gives every choice a panel of its own (header, move, duplicate and delete buttons, three
 * field wrappers): three quarters of the page of a multiple-choice quiz, and most of the second it took to open.
 * This editor is the same ListBlock for the server (lms.quizzes.blocks.ChoiceListBlock): it posts the fields that
 * ListBlock.value_from_datadict reads (<prefix>-count, then per row -value-text, -value-correct, -value-feedback,
 * -id, -order and -deleted), keeps each choice's id (attempts and xAPI statements cite it), and shows the errors the
 * server sends back on the row and field they concern.
 *
 * Registered with telepath as "lms.blocks.ChoiceList"; the block API (render, getState, setState, getValue,
 * getDuplicatedState, getTextLabel, setError, focus) is the one Wagtail's StructBlock calls on its children.
 */
(function () {
  'use strict';

  var fallbackCounter = 0;

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    fallbackCounter += 1;
    return 'choice-' + Date.now() + '-' + fallbackCounter;
  }

  function numbered(template, n) {
    return template.replace('{n}', String(n));
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function iconButton(action, icon, label) {
    var button = element('button', {
      type: 'button', class: 'lms-choices__action',
      'data-choice-action': action, title: label, 'aria-label': label,
    });
    button.innerHTML = '<svg class="icon icon-' + icon + '" aria-hidden="true"><use href="#icon-' + icon + '"></use></svg>';
    return button;
  }

  function messagesOf(error) {
    if (!error) return [];
    if (Array.isArray(error)) return error;
    return error.messages || [];
  }

  function ChoiceList(definition, placeholder, prefix, initialState, initialError) {
    this.blockDef = definition;
    this.type = definition.name;
    this.prefix = prefix;
    var strings = definition.meta.strings;

    var root = element('div', { class: 'lms-choices', 'data-choice-list': '' });
    this.count = element('input', { type: 'hidden', name: prefix + '-count', value: '0' });
    root.appendChild(this.count);
    this.errors = element('div', { class: 'lms-choices__errors', id: prefix + '-errors' });
    root.appendChild(this.errors);

    var table = element('table', { class: 'lms-choices__table' });
    table.appendChild(element('caption', { class: 'w-sr-only' }, definition.meta.label));
    var head = element('thead');
    var headRow = element('tr');
    headRow.appendChild(element('th', { scope: 'col', class: 'lms-choices__number' }, '#'));
    headRow.appendChild(element('th', { scope: 'col' }, strings.choice));
    headRow.appendChild(element('th', { scope: 'col', class: 'lms-choices__correct' }, strings.correct));
    headRow.appendChild(element('th', { scope: 'col' }, strings.feedback));
    headRow.appendChild(element('th', { scope: 'col', class: 'lms-choices__actions' }, strings.actions));
    head.appendChild(headRow);
    table.appendChild(head);
    this.body = element('tbody');
    table.appendChild(this.body);
    root.appendChild(table);

    this.addButton = element('button', { type: 'button', class: 'button button-small button-secondary lms-choices__add' });
    this.addButton.textContent = strings.add;
    root.appendChild(this.addButton);

    this.element = root;
    this.container = root;

    var self = this;
    this.addButton.addEventListener('click', function () {
      var row = self.addRow({ text: '', correct: false, feedback: '' }, newId());
      self.renumber(true);
      row.querySelector('[data-choice-field="text"]').focus();
    });
    this.body.addEventListener('click', function (event) {
      var button = event.target.closest('[data-choice-action]');
      if (!button || button.disabled) return;
      var row = button.closest('tr');
      var action = button.getAttribute('data-choice-action');
      if (action === 'up' && row.previousElementSibling) {
        self.body.insertBefore(row, row.previousElementSibling);
      } else if (action === 'down' && row.nextElementSibling) {
        self.body.insertBefore(row.nextElementSibling, row);
      } else if (action === 'delete') {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        self.renumber(true);
        if (next) next.querySelector('[data-choice-field="text"]').focus();
        return;
      }
      self.renumber(true);
      button.focus();
    });

    this.setState(initialState || []);
    placeholder.replaceWith(root); // built first, then put in the page at once
    if (initialError) this.setError(initialError);
  }

  ChoiceList.prototype.addRow = function (value, id) {
    var strings = this.blockDef.meta.strings;
    var row = element('tr', { 'data-choice-id': id || newId() });
    row.appendChild(element('td', { class: 'lms-choices__number', 'data-choice-number': '' }));

    var textCell = element('td', { 'data-label': strings.choice });
    var text = element('input', { type: 'text', class: 'lms-choices__text', 'data-choice-field': 'text', required: '' });
    text.value = value.text || '';
    textCell.appendChild(text);
    row.appendChild(textCell);

    var correctCell = element('td', { class: 'lms-choices__correct', 'data-label': strings.correct });
    var correct = element('input', { type: 'checkbox', 'data-choice-field': 'correct' });
    correct.checked = Boolean(value.correct);
    correctCell.appendChild(correct);
    row.appendChild(correctCell);

    var feedbackCell = element('td', { 'data-label': strings.feedback });
    var feedback = element('textarea', { rows: '1', class: 'lms-choices__feedback', 'data-choice-field': 'feedback' });
    feedback.value = value.feedback || '';
    feedbackCell.appendChild(feedback);
    row.appendChild(feedbackCell);

    var actions = element('td', { class: 'lms-choices__actions' });
    actions.appendChild(iconButton('up', 'arrow-up', strings.up));
    actions.appendChild(iconButton('down', 'arrow-down', strings.down));
    actions.appendChild(iconButton('delete', 'bin', strings.delete));
    ['id', 'order', 'deleted'].forEach(function (name) {
      actions.appendChild(element('input', { type: 'hidden', 'data-choice-hidden': name }));
    });
    row.appendChild(actions);
    this.body.appendChild(row);
    return row;
  };

  // Names, labels and buttons follow the rows' order; the form posts them as ListBlock's own editor would.
  ChoiceList.prototype.renumber = function (changed) {
    var prefix = this.prefix;
    var meta = this.blockDef.meta;
    var strings = meta.strings;
    var rows = Array.prototype.slice.call(this.body.rows);
    rows.forEach(function (row, index) {
      var n = index + 1;
      var base = prefix + '-' + index;
      row.querySelector('[data-choice-number]').textContent = String(n);
      [['text', strings.choiceN], ['correct', strings.correctN], ['feedback', strings.feedbackN]].forEach(function (pair) {
        var field = row.querySelector('[data-choice-field="' + pair[0] + '"]');
        field.name = base + '-value-' + pair[0];
        field.id = base + '-value-' + pair[0];
        field.setAttribute('aria-label', numbered(pair[1], n));
      });
      row.querySelector('[data-choice-hidden="id"]').name = base + '-id';
      row.querySelector('[data-choice-hidden="id"]').value = row.getAttribute('data-choice-id');
      row.querySelector('[data-choice-hidden="order"]').name = base + '-order';
      row.querySelector('[data-choice-hidden="order"]').value = String(index);
      row.querySelector('[data-choice-hidden="deleted"]').name = base + '-deleted';
      [['up', strings.upN], ['down', strings.downN], ['delete', strings.deleteN]].forEach(function (pair) {
        var button = row.querySelector('[data-choice-action="' + pair[0] + '"]');
        button.setAttribute('aria-label', numbered(pair[1], n));
      });
      row.querySelector('[data-choice-action="up"]').disabled = index === 0;
      row.querySelector('[data-choice-action="down"]').disabled = index === rows.length - 1;
      row.querySelector('[data-choice-action="delete"]').disabled =
        typeof meta.minNum === 'number' && rows.length <= meta.minNum;
    });
    this.count.value = String(rows.length);
    this.addButton.disabled = typeof meta.maxNum === 'number' && rows.length >= meta.maxNum;
    if (changed) {
      // Wagtail's "unsaved changes" warning listens for input and change events on the form.
      this.count.dispatchEvent(new Event('change', { bubbles: true }));
    }
  };

  ChoiceList.prototype.rowValue = function (row) {
    return {
      text: row.querySelector('[data-choice-field="text"]').value,
      correct: row.querySelector('[data-choice-field="correct"]').checked,
      feedback: row.querySelector('[data-choice-field="feedback"]').value,
    };
  };

  ChoiceList.prototype.setState = function (state) {
    this.body.textContent = '';
    var self = this;
    (state || []).forEach(function (item) { self.addRow(item.value || {}, item.id); });
    var minNum = this.blockDef.meta.minNum;
    while (typeof minNum === 'number' && this.body.rows.length < minNum) {
      this.addRow({ text: '', correct: false, feedback: '' }, newId());
    }
    this.renumber(false);
  };

  ChoiceList.prototype.getState = function () {
    var self = this;
    return Array.prototype.map.call(this.body.rows, function (row) {
      return { value: self.rowValue(row), id: row.getAttribute('data-choice-id') };
    });
  };

  ChoiceList.prototype.getDuplicatedState = function () {
    // A duplicated question gets choices of its own.
    return this.getState().map(function (item) { return { value: item.value, id: newId() }; });
  };

  ChoiceList.prototype.getValue = function () {
    var self = this;
    return Array.prototype.map.call(this.body.rows, function (row) { return self.rowValue(row); });
  };

  ChoiceList.prototype.getTextLabel = function (opts) {
    var maxLength = opts && opts.maxLength;
    var label = this.getValue().map(function (value) { return value.text; }).filter(Boolean).join(', ');
    if (maxLength && label.length > maxLength) return label.substring(0, maxLength - 1) + '…';
    return label;
  };

  ChoiceList.prototype.setError = function (error) {
    this.errors.textContent = '';
    this.element.classList.remove('lms-choices--error');
    this.body.querySelectorAll('.error-message').forEach(function (node) { node.remove(); });
    this.body.querySelectorAll('[aria-invalid]').forEach(function (node) {
      node.removeAttribute('aria-invalid');
      node.removeAttribute('aria-describedby');
    });
    if (!error) return;
    var self = this;
    var listMessages = messagesOf(error);
    if (listMessages.length) {
      this.element.classList.add('lms-choices--error');
      listMessages.forEach(function (message) {
        self.errors.appendChild(element('p', { class: 'error-message' }, message));
      });
    }
    var rowErrors = error.blockErrors || {};
    Object.keys(rowErrors).forEach(function (index) {
      var row = self.body.rows[Number(index)];
      if (!row) return;
      var rowError = rowErrors[index] || {};
      var fieldErrors = rowError.blockErrors || {};
      Object.keys(fieldErrors).forEach(function (name) {
        var field = row.querySelector('[data-choice-field="' + name + '"]');
        if (!field) return;
        var message = element('p', { class: 'error-message', id: field.id + '-error' }, messagesOf(fieldErrors[name]).join(' '));
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', message.id);
        field.parentNode.appendChild(message);
      });
      messagesOf(rowError).forEach(function (message) {
        row.querySelector('[data-choice-field="text"]').parentNode.appendChild(element('p', { class: 'error-message' }, message));
      });
    });
  };

  ChoiceList.prototype.focus = function (opts) {
    if (opts && opts.soft) return;
    var first = this.body.querySelector('[data-choice-field="text"]');
    if (first) first.focus();
  };

  function ChoiceListDefinition(name, meta) {
    this.name = name;
    this.meta = meta;
  }

  // For a question not yet built (lazy-question.js): the fields one choice posts.
  ChoiceListDefinition.prototype.isChoiceList = true;
  // The fields one row posts for an item ({id, value}) at `index`, in the row's order (lms.quizzes lazy questions
  // post them for a question not built yet).
  ChoiceListDefinition.prototype.itemFields = function (prefix, index, item, emit) {
    var value = item.value || {};
    emit(prefix + '-value-text', value.text || '');
    if (value.correct) emit(prefix + '-value-correct', 'on');
    emit(prefix + '-value-feedback', value.feedback || '');
    emit(prefix + '-id', item.id || '');
    emit(prefix + '-order', String(index));
    emit(prefix + '-deleted', '');
    return true;
  };

  ChoiceListDefinition.prototype.render = function (placeholder, prefix, initialState, initialError) {
    return new ChoiceList(this, placeholder, prefix, initialState, initialError);
  };

  window.telepath.register('lms.blocks.ChoiceList', ChoiceListDefinition);
})();
