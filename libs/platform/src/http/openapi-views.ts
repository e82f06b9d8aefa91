import type { PostalAddress } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { Page } from './pagination';

/** A response class (what `@ApiOkResponse({ type })` takes). */
type ViewClass<T> = abstract new (...args: never[]) => T;

function named<C extends abstract new (...args: never[]) => unknown>(target: C, name: string): C {
  // The schema's name in the document (and in the generated client types) is the class's name.
  Object.defineProperty(target, 'name', { value: name });
  return target;
}

/**
 * The schema of one page of `item`s (`Page<T>`: `items` and `nextCursor`), named `<Item>Page`.
 * Each call makes a new class: call it once per item class, beside the item's view.
 */
export function PageOf<T>(item: ViewClass<T>): ViewClass<Page<T>> {
  abstract class PageOfItems {
    @ApiProperty({ type: () => [item] })
    items!: T[];

    @ApiProperty({
      type: String,
      nullable: true,
      description: 'the cursor of the next page (`cursor=`); null on the last page',
    })
    nextCursor!: string | null;
  }
  return named(PageOfItems, `${item.name}Page`);
}

/** The schema of `{ items: T[] }` (a whole list, not paged), named `<Item>List`. */
export function ItemsOf<T>(item: ViewClass<T>, options: ApiPropertyOptions = {}): ViewClass<{ items: T[] }> {
  abstract class ItemsOfItems {
    @ApiProperty({ ...options, type: () => [item] } as ApiPropertyOptions)
    items!: T[];
  }
  return named(ItemsOfItems, `${item.name}List`);
}

/** A postal address in an answer (`{ name?, line1, line2?, city, state, zip }`): one schema for every service. */
export class PostalAddressView implements PostalAddress {
  @ApiPropertyOptional() name?: string;
  @ApiProperty() line1!: string;
  @ApiPropertyOptional() line2?: string;
  @ApiProperty() city!: string;
  @ApiProperty() state!: string;
  @ApiProperty() zip!: string;
}
