package io.moxing.console.view;

/**
 * The links under a paged list: to the page before and after this one, or null where there is none.
 *
 * @param page the page shown, from 1
 */
public record Pager(int page, String previousHref, String nextHref) {
    public boolean needed() {
        return previousHref != null || nextHref != null;
    }
}
