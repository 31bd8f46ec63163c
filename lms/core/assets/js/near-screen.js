/*
 * Start a part of the Wagtail editor when it comes near the screen: the rich text fields of a lesson
 * (lazy-rich-text.js) and the questions of a quiz (quizzes/lazy-question.js).
 *
 * window.lmsNearScreen.watch(element, start, rootMargin) calls start() when the element comes within rootMargin of
 * the viewport; unwatch(element) forgets it (the caller started it another way, or has started). One
 * IntersectionObserver per margin, shared by every element watched with it.
 */
(function () {
  'use strict';

  if (window.lmsNearScreen) return;

  var observers = new Map(); // rootMargin -> IntersectionObserver
  var pending = new Map(); // element -> [start, observer]

  function observerFor(rootMargin) {
    if (!observers.has(rootMargin)) {
      observers.set(rootMargin, new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting && pending.has(entry.target)) pending.get(entry.target)[0]();
        });
      }, { rootMargin: rootMargin }));
    }
    return observers.get(rootMargin);
  }

  window.lmsNearScreen = {
    watch: function (element, start, rootMargin) {
      var observer = observerFor(rootMargin);
      pending.set(element, [start, observer]);
      observer.observe(element);
    },
    unwatch: function (element) {
      if (!pending.has(element)) return;
      pending.get(element)[1].unobserve(element);
      pending.delete(element);
    },
  };
})();
