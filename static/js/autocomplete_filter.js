// Autocomplete list filters: choosing an object reloads the list filtered by it.
'use strict';
window.addEventListener('load', function () {
    django.jQuery('select.autocomplete-filter').on('change', function () {
        const params = new URLSearchParams(window.location.search);
        const name = this.dataset.filterParameter;
        if (this.value) { params.set(name, this.value); } else { params.delete(name); }
        params.delete('p');
        window.location.search = params.toString();
    });
});
