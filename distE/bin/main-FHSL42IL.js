import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  hashBytes,
  isDirHash
} from "./chunk-NIE2MTBU.js";
import {
  RunRecorder
} from "./chunk-KJCKBIH3.js";
import {
  VERSION,
  checkUpToDate,
  keepCertificate
} from "./chunk-RIBXOF6W.js";
import {
  findPipelineFile
} from "./chunk-XYXI5FZ7.js";
import "./chunk-DJMCM54O.js";
import {
  _default,
  _enum,
  _minLength,
  _positive,
  array,
  boolean,
  int,
  object,
  optional,
  string
} from "./chunk-WLUU6SAW.js";
import {
  flattenParams
} from "./chunk-VRTVQOPA.js";
import {
  PipelineError,
  isPipelineError
} from "./chunk-VYRDMYYG.js";
import {
  LINK_KINDS,
  layout
} from "./chunk-PI66XGHR.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-72MSOLL7.js";

// node_modules/commander/lib/error.js
var require_error = __commonJS({
  "node_modules/commander/lib/error.js"(exports) {
    var CommanderError2 = class extends Error {
      /**
       * Constructs the CommanderError class
       * @param {number} exitCode suggested exit code which could be used with process.exit
       * @param {string} code an id string representing the error
       * @param {string} message human-readable description of the error
       */
      constructor(exitCode, code, message) {
        super(message);
        Error.captureStackTrace(this, this.constructor);
        this.name = this.constructor.name;
        this.code = code;
        this.exitCode = exitCode;
        this.nestedError = void 0;
      }
    };
    var InvalidArgumentError2 = class extends CommanderError2 {
      /**
       * Constructs the InvalidArgumentError class
       * @param {string} [message] explanation of why argument is invalid
       */
      constructor(message) {
        super(1, "commander.invalidArgument", message);
        Error.captureStackTrace(this, this.constructor);
        this.name = this.constructor.name;
      }
    };
    exports.CommanderError = CommanderError2;
    exports.InvalidArgumentError = InvalidArgumentError2;
  }
});

// node_modules/commander/lib/argument.js
var require_argument = __commonJS({
  "node_modules/commander/lib/argument.js"(exports) {
    var { InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var Argument2 = class {
      /**
       * Initialize a new command argument with the given name and description.
       * The default is that the argument is required, and you can explicitly
       * indicate this with <> around the name. Put [] around the name for an optional argument.
       *
       * @param {string} name
       * @param {string} [description]
       */
      constructor(name, description) {
        this.description = description || "";
        this.variadic = false;
        this.parseArg = void 0;
        this.defaultValue = void 0;
        this.defaultValueDescription = void 0;
        this.argChoices = void 0;
        switch (name[0]) {
          case "<":
            this.required = true;
            this._name = name.slice(1, -1);
            break;
          case "[":
            this.required = false;
            this._name = name.slice(1, -1);
            break;
          default:
            this.required = true;
            this._name = name;
            break;
        }
        if (this._name.endsWith("...")) {
          this.variadic = true;
          this._name = this._name.slice(0, -3);
        }
      }
      /**
       * Return argument name.
       *
       * @return {string}
       */
      name() {
        return this._name;
      }
      /**
       * @package
       */
      _collectValue(value, previous) {
        if (previous === this.defaultValue || !Array.isArray(previous)) {
          return [value];
        }
        previous.push(value);
        return previous;
      }
      /**
       * Set the default value, and optionally supply the description to be displayed in the help.
       *
       * @param {*} value
       * @param {string} [description]
       * @return {Argument}
       */
      default(value, description) {
        this.defaultValue = value;
        this.defaultValueDescription = description;
        return this;
      }
      /**
       * Set the custom handler for processing CLI command arguments into argument values.
       *
       * @param {Function} [fn]
       * @return {Argument}
       */
      argParser(fn) {
        this.parseArg = fn;
        return this;
      }
      /**
       * Only allow argument value to be one of choices.
       *
       * @param {string[]} values
       * @return {Argument}
       */
      choices(values) {
        this.argChoices = values.slice();
        this.parseArg = (arg, previous) => {
          if (!this.argChoices.includes(arg)) {
            throw new InvalidArgumentError2(
              `Allowed choices are ${this.argChoices.join(", ")}.`
            );
          }
          if (this.variadic) {
            return this._collectValue(arg, previous);
          }
          return arg;
        };
        return this;
      }
      /**
       * Make argument required.
       *
       * @returns {Argument}
       */
      argRequired() {
        this.required = true;
        return this;
      }
      /**
       * Make argument optional.
       *
       * @returns {Argument}
       */
      argOptional() {
        this.required = false;
        return this;
      }
    };
    function humanReadableArgName(arg) {
      const nameOutput = arg.name() + (arg.variadic === true ? "..." : "");
      return arg.required ? "<" + nameOutput + ">" : "[" + nameOutput + "]";
    }
    exports.Argument = Argument2;
    exports.humanReadableArgName = humanReadableArgName;
  }
});

// node_modules/commander/lib/help.js
var require_help = __commonJS({
  "node_modules/commander/lib/help.js"(exports) {
    var { humanReadableArgName } = require_argument();
    var Help2 = class {
      constructor() {
        this.helpWidth = void 0;
        this.minWidthToWrap = 40;
        this.sortSubcommands = false;
        this.sortOptions = false;
        this.showGlobalOptions = false;
      }
      /**
       * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
       * and just before calling `formatHelp()`.
       *
       * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
       *
       * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
       */
      prepareContext(contextOptions) {
        this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
      }
      /**
       * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
       *
       * @param {Command} cmd
       * @returns {Command[]}
       */
      visibleCommands(cmd) {
        const visibleCommands = cmd.commands.filter((cmd2) => !cmd2._hidden);
        const helpCommand = cmd._getHelpCommand();
        if (helpCommand && !helpCommand._hidden) {
          visibleCommands.push(helpCommand);
        }
        if (this.sortSubcommands) {
          visibleCommands.sort((a, b) => {
            return a.name().localeCompare(b.name());
          });
        }
        return visibleCommands;
      }
      /**
       * Compare options for sort.
       *
       * @param {Option} a
       * @param {Option} b
       * @returns {number}
       */
      compareOptions(a, b) {
        const getSortKey = (option) => {
          return option.short ? option.short.replace(/^-/, "") : option.long.replace(/^--/, "");
        };
        return getSortKey(a).localeCompare(getSortKey(b));
      }
      /**
       * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
       *
       * @param {Command} cmd
       * @returns {Option[]}
       */
      visibleOptions(cmd) {
        const visibleOptions = cmd.options.filter((option) => !option.hidden);
        const helpOption = cmd._getHelpOption();
        if (helpOption && !helpOption.hidden) {
          const removeShort = helpOption.short && cmd._findOption(helpOption.short);
          const removeLong = helpOption.long && cmd._findOption(helpOption.long);
          if (!removeShort && !removeLong) {
            visibleOptions.push(helpOption);
          } else if (helpOption.long && !removeLong) {
            visibleOptions.push(
              cmd.createOption(helpOption.long, helpOption.description)
            );
          } else if (helpOption.short && !removeShort) {
            visibleOptions.push(
              cmd.createOption(helpOption.short, helpOption.description)
            );
          }
        }
        if (this.sortOptions) {
          visibleOptions.sort(this.compareOptions);
        }
        return visibleOptions;
      }
      /**
       * Get an array of the visible global options. (Not including help.)
       *
       * @param {Command} cmd
       * @returns {Option[]}
       */
      visibleGlobalOptions(cmd) {
        if (!this.showGlobalOptions) return [];
        const globalOptions = [];
        for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
          const visibleOptions = ancestorCmd.options.filter(
            (option) => !option.hidden
          );
          globalOptions.push(...visibleOptions);
        }
        if (this.sortOptions) {
          globalOptions.sort(this.compareOptions);
        }
        return globalOptions;
      }
      /**
       * Get an array of the arguments if any have a description.
       *
       * @param {Command} cmd
       * @returns {Argument[]}
       */
      visibleArguments(cmd) {
        if (cmd._argsDescription) {
          cmd.registeredArguments.forEach((argument) => {
            argument.description = argument.description || cmd._argsDescription[argument.name()] || "";
          });
        }
        if (cmd.registeredArguments.find((argument) => argument.description)) {
          return cmd.registeredArguments;
        }
        return [];
      }
      /**
       * Get the command term to show in the list of subcommands.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      subcommandTerm(cmd) {
        const args = cmd.registeredArguments.map((arg) => humanReadableArgName(arg)).join(" ");
        return cmd._name + (cmd._aliases[0] ? "|" + cmd._aliases[0] : "") + (cmd.options.length ? " [options]" : "") + // simplistic check for non-help option
        (args ? " " + args : "");
      }
      /**
       * Get the option term to show in the list of options.
       *
       * @param {Option} option
       * @returns {string}
       */
      optionTerm(option) {
        return option.flags;
      }
      /**
       * Get the argument term to show in the list of arguments.
       *
       * @param {Argument} argument
       * @returns {string}
       */
      argumentTerm(argument) {
        return argument.name();
      }
      /**
       * Get the longest command term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestSubcommandTermLength(cmd, helper) {
        return helper.visibleCommands(cmd).reduce((max, command) => {
          return Math.max(
            max,
            this.displayWidth(
              helper.styleSubcommandTerm(helper.subcommandTerm(command))
            )
          );
        }, 0);
      }
      /**
       * Get the longest option term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestOptionTermLength(cmd, helper) {
        return helper.visibleOptions(cmd).reduce((max, option) => {
          return Math.max(
            max,
            this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
          );
        }, 0);
      }
      /**
       * Get the longest global option term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestGlobalOptionTermLength(cmd, helper) {
        return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
          return Math.max(
            max,
            this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
          );
        }, 0);
      }
      /**
       * Get the longest argument term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestArgumentTermLength(cmd, helper) {
        return helper.visibleArguments(cmd).reduce((max, argument) => {
          return Math.max(
            max,
            this.displayWidth(
              helper.styleArgumentTerm(helper.argumentTerm(argument))
            )
          );
        }, 0);
      }
      /**
       * Get the command usage to be displayed at the top of the built-in help.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      commandUsage(cmd) {
        let cmdName = cmd._name;
        if (cmd._aliases[0]) {
          cmdName = cmdName + "|" + cmd._aliases[0];
        }
        let ancestorCmdNames = "";
        for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
          ancestorCmdNames = ancestorCmd.name() + " " + ancestorCmdNames;
        }
        return ancestorCmdNames + cmdName + " " + cmd.usage();
      }
      /**
       * Get the description for the command.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      commandDescription(cmd) {
        return cmd.description();
      }
      /**
       * Get the subcommand summary to show in the list of subcommands.
       * (Fallback to description for backwards compatibility.)
       *
       * @param {Command} cmd
       * @returns {string}
       */
      subcommandDescription(cmd) {
        return cmd.summary() || cmd.description();
      }
      /**
       * Get the option description to show in the list of options.
       *
       * @param {Option} option
       * @return {string}
       */
      optionDescription(option) {
        const extraInfo = [];
        if (option.argChoices) {
          extraInfo.push(
            // use stringify to match the display of the default value
            `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
          );
        }
        if (option.defaultValue !== void 0) {
          const showDefault = option.required || option.optional || option.isBoolean() && typeof option.defaultValue === "boolean";
          if (showDefault) {
            extraInfo.push(
              `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`
            );
          }
        }
        if (option.presetArg !== void 0 && option.optional) {
          extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
        }
        if (option.envVar !== void 0) {
          extraInfo.push(`env: ${option.envVar}`);
        }
        if (extraInfo.length > 0) {
          const extraDescription = `(${extraInfo.join(", ")})`;
          if (option.description) {
            return `${option.description} ${extraDescription}`;
          }
          return extraDescription;
        }
        return option.description;
      }
      /**
       * Get the argument description to show in the list of arguments.
       *
       * @param {Argument} argument
       * @return {string}
       */
      argumentDescription(argument) {
        const extraInfo = [];
        if (argument.argChoices) {
          extraInfo.push(
            // use stringify to match the display of the default value
            `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
          );
        }
        if (argument.defaultValue !== void 0) {
          extraInfo.push(
            `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`
          );
        }
        if (extraInfo.length > 0) {
          const extraDescription = `(${extraInfo.join(", ")})`;
          if (argument.description) {
            return `${argument.description} ${extraDescription}`;
          }
          return extraDescription;
        }
        return argument.description;
      }
      /**
       * Format a list of items, given a heading and an array of formatted items.
       *
       * @param {string} heading
       * @param {string[]} items
       * @param {Help} helper
       * @returns string[]
       */
      formatItemList(heading, items, helper) {
        if (items.length === 0) return [];
        return [helper.styleTitle(heading), ...items, ""];
      }
      /**
       * Group items by their help group heading.
       *
       * @param {Command[] | Option[]} unsortedItems
       * @param {Command[] | Option[]} visibleItems
       * @param {Function} getGroup
       * @returns {Map<string, Command[] | Option[]>}
       */
      groupItems(unsortedItems, visibleItems, getGroup) {
        const result = /* @__PURE__ */ new Map();
        unsortedItems.forEach((item) => {
          const group = getGroup(item);
          if (!result.has(group)) result.set(group, []);
        });
        visibleItems.forEach((item) => {
          const group = getGroup(item);
          if (!result.has(group)) {
            result.set(group, []);
          }
          result.get(group).push(item);
        });
        return result;
      }
      /**
       * Generate the built-in help text.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {string}
       */
      formatHelp(cmd, helper) {
        const termWidth = helper.padWidth(cmd, helper);
        const helpWidth = helper.helpWidth ?? 80;
        function callFormatItem(term, description) {
          return helper.formatItem(term, termWidth, description, helper);
        }
        let output = [
          `${helper.styleTitle("Usage:")} ${helper.styleUsage(helper.commandUsage(cmd))}`,
          ""
        ];
        const commandDescription = helper.commandDescription(cmd);
        if (commandDescription.length > 0) {
          output = output.concat([
            helper.boxWrap(
              helper.styleCommandDescription(commandDescription),
              helpWidth
            ),
            ""
          ]);
        }
        const argumentList = helper.visibleArguments(cmd).map((argument) => {
          return callFormatItem(
            helper.styleArgumentTerm(helper.argumentTerm(argument)),
            helper.styleArgumentDescription(helper.argumentDescription(argument))
          );
        });
        output = output.concat(
          this.formatItemList("Arguments:", argumentList, helper)
        );
        const optionGroups = this.groupItems(
          cmd.options,
          helper.visibleOptions(cmd),
          (option) => option.helpGroupHeading ?? "Options:"
        );
        optionGroups.forEach((options, group) => {
          const optionList = options.map((option) => {
            return callFormatItem(
              helper.styleOptionTerm(helper.optionTerm(option)),
              helper.styleOptionDescription(helper.optionDescription(option))
            );
          });
          output = output.concat(this.formatItemList(group, optionList, helper));
        });
        if (helper.showGlobalOptions) {
          const globalOptionList = helper.visibleGlobalOptions(cmd).map((option) => {
            return callFormatItem(
              helper.styleOptionTerm(helper.optionTerm(option)),
              helper.styleOptionDescription(helper.optionDescription(option))
            );
          });
          output = output.concat(
            this.formatItemList("Global Options:", globalOptionList, helper)
          );
        }
        const commandGroups = this.groupItems(
          cmd.commands,
          helper.visibleCommands(cmd),
          (sub) => sub.helpGroup() || "Commands:"
        );
        commandGroups.forEach((commands, group) => {
          const commandList = commands.map((sub) => {
            return callFormatItem(
              helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
              helper.styleSubcommandDescription(helper.subcommandDescription(sub))
            );
          });
          output = output.concat(this.formatItemList(group, commandList, helper));
        });
        return output.join("\n");
      }
      /**
       * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
       *
       * @param {string} str
       * @returns {number}
       */
      displayWidth(str) {
        return stripColor(str).length;
      }
      /**
       * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
       *
       * @param {string} str
       * @returns {string}
       */
      styleTitle(str) {
        return str;
      }
      styleUsage(str) {
        return str.split(" ").map((word) => {
          if (word === "[options]") return this.styleOptionText(word);
          if (word === "[command]") return this.styleSubcommandText(word);
          if (word[0] === "[" || word[0] === "<")
            return this.styleArgumentText(word);
          return this.styleCommandText(word);
        }).join(" ");
      }
      styleCommandDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleOptionDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleSubcommandDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleArgumentDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleDescriptionText(str) {
        return str;
      }
      styleOptionTerm(str) {
        return this.styleOptionText(str);
      }
      styleSubcommandTerm(str) {
        return str.split(" ").map((word) => {
          if (word === "[options]") return this.styleOptionText(word);
          if (word[0] === "[" || word[0] === "<")
            return this.styleArgumentText(word);
          return this.styleSubcommandText(word);
        }).join(" ");
      }
      styleArgumentTerm(str) {
        return this.styleArgumentText(str);
      }
      styleOptionText(str) {
        return str;
      }
      styleArgumentText(str) {
        return str;
      }
      styleSubcommandText(str) {
        return str;
      }
      styleCommandText(str) {
        return str;
      }
      /**
       * Calculate the pad width from the maximum term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      padWidth(cmd, helper) {
        return Math.max(
          helper.longestOptionTermLength(cmd, helper),
          helper.longestGlobalOptionTermLength(cmd, helper),
          helper.longestSubcommandTermLength(cmd, helper),
          helper.longestArgumentTermLength(cmd, helper)
        );
      }
      /**
       * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
       *
       * @param {string} str
       * @returns {boolean}
       */
      preformatted(str) {
        return /\n[^\S\r\n]/.test(str);
      }
      /**
       * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
       *
       * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
       *   TTT  DDD DDDD
       *        DD DDD
       *
       * @param {string} term
       * @param {number} termWidth
       * @param {string} description
       * @param {Help} helper
       * @returns {string}
       */
      formatItem(term, termWidth, description, helper) {
        const itemIndent = 2;
        const itemIndentStr = " ".repeat(itemIndent);
        if (!description) return itemIndentStr + term;
        const paddedTerm = term.padEnd(
          termWidth + term.length - helper.displayWidth(term)
        );
        const spacerWidth = 2;
        const helpWidth = this.helpWidth ?? 80;
        const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
        let formattedDescription;
        if (remainingWidth < this.minWidthToWrap || helper.preformatted(description)) {
          formattedDescription = description;
        } else {
          const wrappedDescription = helper.boxWrap(description, remainingWidth);
          formattedDescription = wrappedDescription.replace(
            /\n/g,
            "\n" + " ".repeat(termWidth + spacerWidth)
          );
        }
        return itemIndentStr + paddedTerm + " ".repeat(spacerWidth) + formattedDescription.replace(/\n/g, `
${itemIndentStr}`);
      }
      /**
       * Wrap a string at whitespace, preserving existing line breaks.
       * Wrapping is skipped if the width is less than `minWidthToWrap`.
       *
       * @param {string} str
       * @param {number} width
       * @returns {string}
       */
      boxWrap(str, width) {
        if (width < this.minWidthToWrap) return str;
        const rawLines = str.split(/\r\n|\n/);
        const chunkPattern = /[\s]*[^\s]+/g;
        const wrappedLines = [];
        rawLines.forEach((line) => {
          const chunks = line.match(chunkPattern);
          if (chunks === null) {
            wrappedLines.push("");
            return;
          }
          let sumChunks = [chunks.shift()];
          let sumWidth = this.displayWidth(sumChunks[0]);
          chunks.forEach((chunk) => {
            const visibleWidth = this.displayWidth(chunk);
            if (sumWidth + visibleWidth <= width) {
              sumChunks.push(chunk);
              sumWidth += visibleWidth;
              return;
            }
            wrappedLines.push(sumChunks.join(""));
            const nextChunk = chunk.trimStart();
            sumChunks = [nextChunk];
            sumWidth = this.displayWidth(nextChunk);
          });
          wrappedLines.push(sumChunks.join(""));
        });
        return wrappedLines.join("\n");
      }
    };
    function stripColor(str) {
      const sgrPattern = /\x1b\[\d*(;\d*)*m/g;
      return str.replace(sgrPattern, "");
    }
    exports.Help = Help2;
    exports.stripColor = stripColor;
  }
});

// node_modules/commander/lib/option.js
var require_option = __commonJS({
  "node_modules/commander/lib/option.js"(exports) {
    var { InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var Option2 = class {
      /**
       * Initialize a new `Option` with the given `flags` and `description`.
       *
       * @param {string} flags
       * @param {string} [description]
       */
      constructor(flags, description) {
        this.flags = flags;
        this.description = description || "";
        this.required = flags.includes("<");
        this.optional = flags.includes("[");
        this.variadic = /\w\.\.\.[>\]]$/.test(flags);
        this.mandatory = false;
        const optionFlags = splitOptionFlags(flags);
        this.short = optionFlags.shortFlag;
        this.long = optionFlags.longFlag;
        this.negate = false;
        if (this.long) {
          this.negate = this.long.startsWith("--no-");
        }
        this.defaultValue = void 0;
        this.defaultValueDescription = void 0;
        this.presetArg = void 0;
        this.envVar = void 0;
        this.parseArg = void 0;
        this.hidden = false;
        this.argChoices = void 0;
        this.conflictsWith = [];
        this.implied = void 0;
        this.helpGroupHeading = void 0;
      }
      /**
       * Set the default value, and optionally supply the description to be displayed in the help.
       *
       * @param {*} value
       * @param {string} [description]
       * @return {Option}
       */
      default(value, description) {
        this.defaultValue = value;
        this.defaultValueDescription = description;
        return this;
      }
      /**
       * Preset to use when option used without option-argument, especially optional but also boolean and negated.
       * The custom processing (parseArg) is called.
       *
       * @example
       * new Option('--color').default('GREYSCALE').preset('RGB');
       * new Option('--donate [amount]').preset('20').argParser(parseFloat);
       *
       * @param {*} arg
       * @return {Option}
       */
      preset(arg) {
        this.presetArg = arg;
        return this;
      }
      /**
       * Add option name(s) that conflict with this option.
       * An error will be displayed if conflicting options are found during parsing.
       *
       * @example
       * new Option('--rgb').conflicts('cmyk');
       * new Option('--js').conflicts(['ts', 'jsx']);
       *
       * @param {(string | string[])} names
       * @return {Option}
       */
      conflicts(names) {
        this.conflictsWith = this.conflictsWith.concat(names);
        return this;
      }
      /**
       * Specify implied option values for when this option is set and the implied options are not.
       *
       * The custom processing (parseArg) is not called on the implied values.
       *
       * @example
       * program
       *   .addOption(new Option('--log', 'write logging information to file'))
       *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
       *
       * @param {object} impliedOptionValues
       * @return {Option}
       */
      implies(impliedOptionValues) {
        let newImplied = impliedOptionValues;
        if (typeof impliedOptionValues === "string") {
          newImplied = { [impliedOptionValues]: true };
        }
        this.implied = Object.assign(this.implied || {}, newImplied);
        return this;
      }
      /**
       * Set environment variable to check for option value.
       *
       * An environment variable is only used if when processed the current option value is
       * undefined, or the source of the current value is 'default' or 'config' or 'env'.
       *
       * @param {string} name
       * @return {Option}
       */
      env(name) {
        this.envVar = name;
        return this;
      }
      /**
       * Set the custom handler for processing CLI option arguments into option values.
       *
       * @param {Function} [fn]
       * @return {Option}
       */
      argParser(fn) {
        this.parseArg = fn;
        return this;
      }
      /**
       * Whether the option is mandatory and must have a value after parsing.
       *
       * @param {boolean} [mandatory=true]
       * @return {Option}
       */
      makeOptionMandatory(mandatory = true) {
        this.mandatory = !!mandatory;
        return this;
      }
      /**
       * Hide option in help.
       *
       * @param {boolean} [hide=true]
       * @return {Option}
       */
      hideHelp(hide = true) {
        this.hidden = !!hide;
        return this;
      }
      /**
       * @package
       */
      _collectValue(value, previous) {
        if (previous === this.defaultValue || !Array.isArray(previous)) {
          return [value];
        }
        previous.push(value);
        return previous;
      }
      /**
       * Only allow option value to be one of choices.
       *
       * @param {string[]} values
       * @return {Option}
       */
      choices(values) {
        this.argChoices = values.slice();
        this.parseArg = (arg, previous) => {
          if (!this.argChoices.includes(arg)) {
            throw new InvalidArgumentError2(
              `Allowed choices are ${this.argChoices.join(", ")}.`
            );
          }
          if (this.variadic) {
            return this._collectValue(arg, previous);
          }
          return arg;
        };
        return this;
      }
      /**
       * Return option name.
       *
       * @return {string}
       */
      name() {
        if (this.long) {
          return this.long.replace(/^--/, "");
        }
        return this.short.replace(/^-/, "");
      }
      /**
       * Return option name, in a camelcase format that can be used
       * as an object attribute key.
       *
       * @return {string}
       */
      attributeName() {
        if (this.negate) {
          return camelcase(this.name().replace(/^no-/, ""));
        }
        return camelcase(this.name());
      }
      /**
       * Set the help group heading.
       *
       * @param {string} heading
       * @return {Option}
       */
      helpGroup(heading) {
        this.helpGroupHeading = heading;
        return this;
      }
      /**
       * Check if `arg` matches the short or long flag.
       *
       * @param {string} arg
       * @return {boolean}
       * @package
       */
      is(arg) {
        return this.short === arg || this.long === arg;
      }
      /**
       * Return whether a boolean option.
       *
       * Options are one of boolean, negated, required argument, or optional argument.
       *
       * @return {boolean}
       * @package
       */
      isBoolean() {
        return !this.required && !this.optional && !this.negate;
      }
    };
    var DualOptions = class {
      /**
       * @param {Option[]} options
       */
      constructor(options) {
        this.positiveOptions = /* @__PURE__ */ new Map();
        this.negativeOptions = /* @__PURE__ */ new Map();
        this.dualOptions = /* @__PURE__ */ new Set();
        options.forEach((option) => {
          if (option.negate) {
            this.negativeOptions.set(option.attributeName(), option);
          } else {
            this.positiveOptions.set(option.attributeName(), option);
          }
        });
        this.negativeOptions.forEach((value, key) => {
          if (this.positiveOptions.has(key)) {
            this.dualOptions.add(key);
          }
        });
      }
      /**
       * Did the value come from the option, and not from possible matching dual option?
       *
       * @param {*} value
       * @param {Option} option
       * @returns {boolean}
       */
      valueFromOption(value, option) {
        const optionKey = option.attributeName();
        if (!this.dualOptions.has(optionKey)) return true;
        const preset = this.negativeOptions.get(optionKey).presetArg;
        const negativeValue = preset !== void 0 ? preset : false;
        return option.negate === (negativeValue === value);
      }
    };
    function camelcase(str) {
      return str.split("-").reduce((str2, word) => {
        return str2 + word[0].toUpperCase() + word.slice(1);
      });
    }
    function splitOptionFlags(flags) {
      let shortFlag;
      let longFlag;
      const shortFlagExp = /^-[^-]$/;
      const longFlagExp = /^--[^-]/;
      const flagParts = flags.split(/[ |,]+/).concat("guard");
      if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
      if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
      if (!shortFlag && shortFlagExp.test(flagParts[0]))
        shortFlag = flagParts.shift();
      if (!shortFlag && longFlagExp.test(flagParts[0])) {
        shortFlag = longFlag;
        longFlag = flagParts.shift();
      }
      if (flagParts[0].startsWith("-")) {
        const unsupportedFlag = flagParts[0];
        const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
        if (/^-[^-][^-]/.test(unsupportedFlag))
          throw new Error(
            `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`
          );
        if (shortFlagExp.test(unsupportedFlag))
          throw new Error(`${baseError}
- too many short flags`);
        if (longFlagExp.test(unsupportedFlag))
          throw new Error(`${baseError}
- too many long flags`);
        throw new Error(`${baseError}
- unrecognised flag format`);
      }
      if (shortFlag === void 0 && longFlag === void 0)
        throw new Error(
          `option creation failed due to no flags found in '${flags}'.`
        );
      return { shortFlag, longFlag };
    }
    exports.Option = Option2;
    exports.DualOptions = DualOptions;
  }
});

// node_modules/commander/lib/suggestSimilar.js
var require_suggestSimilar = __commonJS({
  "node_modules/commander/lib/suggestSimilar.js"(exports) {
    var maxDistance = 3;
    function editDistance(a, b) {
      if (Math.abs(a.length - b.length) > maxDistance)
        return Math.max(a.length, b.length);
      const d = [];
      for (let i = 0; i <= a.length; i++) {
        d[i] = [i];
      }
      for (let j = 0; j <= b.length; j++) {
        d[0][j] = j;
      }
      for (let j = 1; j <= b.length; j++) {
        for (let i = 1; i <= a.length; i++) {
          let cost = 1;
          if (a[i - 1] === b[j - 1]) {
            cost = 0;
          } else {
            cost = 1;
          }
          d[i][j] = Math.min(
            d[i - 1][j] + 1,
            // deletion
            d[i][j - 1] + 1,
            // insertion
            d[i - 1][j - 1] + cost
            // substitution
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
          }
        }
      }
      return d[a.length][b.length];
    }
    function suggestSimilar(word, candidates) {
      if (!candidates || candidates.length === 0) return "";
      candidates = Array.from(new Set(candidates));
      const searchingOptions = word.startsWith("--");
      if (searchingOptions) {
        word = word.slice(2);
        candidates = candidates.map((candidate) => candidate.slice(2));
      }
      let similar = [];
      let bestDistance = maxDistance;
      const minSimilarity = 0.4;
      candidates.forEach((candidate) => {
        if (candidate.length <= 1) return;
        const distance = editDistance(word, candidate);
        const length = Math.max(word.length, candidate.length);
        const similarity = (length - distance) / length;
        if (similarity > minSimilarity) {
          if (distance < bestDistance) {
            bestDistance = distance;
            similar = [candidate];
          } else if (distance === bestDistance) {
            similar.push(candidate);
          }
        }
      });
      similar.sort((a, b) => a.localeCompare(b));
      if (searchingOptions) {
        similar = similar.map((candidate) => `--${candidate}`);
      }
      if (similar.length > 1) {
        return `
(Did you mean one of ${similar.join(", ")}?)`;
      }
      if (similar.length === 1) {
        return `
(Did you mean ${similar[0]}?)`;
      }
      return "";
    }
    exports.suggestSimilar = suggestSimilar;
  }
});

// node_modules/commander/lib/command.js
var require_command = __commonJS({
  "node_modules/commander/lib/command.js"(exports) {
    var EventEmitter = __require("node:events").EventEmitter;
    var childProcess = __require("node:child_process");
    var path = __require("node:path");
    var fs = __require("node:fs");
    var process2 = __require("node:process");
    var { Argument: Argument2, humanReadableArgName } = require_argument();
    var { CommanderError: CommanderError2 } = require_error();
    var { Help: Help2, stripColor } = require_help();
    var { Option: Option2, DualOptions } = require_option();
    var { suggestSimilar } = require_suggestSimilar();
    var Command2 = class _Command extends EventEmitter {
      /**
       * Initialize a new `Command`.
       *
       * @param {string} [name]
       */
      constructor(name) {
        super();
        this.commands = [];
        this.options = [];
        this.parent = null;
        this._allowUnknownOption = false;
        this._allowExcessArguments = false;
        this.registeredArguments = [];
        this._args = this.registeredArguments;
        this.args = [];
        this.rawArgs = [];
        this.processedArgs = [];
        this._scriptPath = null;
        this._name = name || "";
        this._optionValues = {};
        this._optionValueSources = {};
        this._storeOptionsAsProperties = false;
        this._actionHandler = null;
        this._executableHandler = false;
        this._executableFile = null;
        this._executableDir = null;
        this._defaultCommandName = null;
        this._exitCallback = null;
        this._aliases = [];
        this._combineFlagAndOptionalValue = true;
        this._description = "";
        this._summary = "";
        this._argsDescription = void 0;
        this._enablePositionalOptions = false;
        this._passThroughOptions = false;
        this._lifeCycleHooks = {};
        this._showHelpAfterError = false;
        this._showSuggestionAfterError = true;
        this._savedState = null;
        this._outputConfiguration = {
          writeOut: (str) => process2.stdout.write(str),
          writeErr: (str) => process2.stderr.write(str),
          outputError: (str, write) => write(str),
          getOutHelpWidth: () => process2.stdout.isTTY ? process2.stdout.columns : void 0,
          getErrHelpWidth: () => process2.stderr.isTTY ? process2.stderr.columns : void 0,
          getOutHasColors: () => useColor() ?? (process2.stdout.isTTY && process2.stdout.hasColors?.()),
          getErrHasColors: () => useColor() ?? (process2.stderr.isTTY && process2.stderr.hasColors?.()),
          stripColor: (str) => stripColor(str)
        };
        this._hidden = false;
        this._helpOption = void 0;
        this._addImplicitHelpCommand = void 0;
        this._helpCommand = void 0;
        this._helpConfiguration = {};
        this._helpGroupHeading = void 0;
        this._defaultCommandGroup = void 0;
        this._defaultOptionGroup = void 0;
      }
      /**
       * Copy settings that are useful to have in common across root command and subcommands.
       *
       * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
       *
       * @param {Command} sourceCommand
       * @return {Command} `this` command for chaining
       */
      copyInheritedSettings(sourceCommand) {
        this._outputConfiguration = sourceCommand._outputConfiguration;
        this._helpOption = sourceCommand._helpOption;
        this._helpCommand = sourceCommand._helpCommand;
        this._helpConfiguration = sourceCommand._helpConfiguration;
        this._exitCallback = sourceCommand._exitCallback;
        this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
        this._combineFlagAndOptionalValue = sourceCommand._combineFlagAndOptionalValue;
        this._allowExcessArguments = sourceCommand._allowExcessArguments;
        this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
        this._showHelpAfterError = sourceCommand._showHelpAfterError;
        this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;
        return this;
      }
      /**
       * @returns {Command[]}
       * @private
       */
      _getCommandAndAncestors() {
        const result = [];
        for (let command = this; command; command = command.parent) {
          result.push(command);
        }
        return result;
      }
      /**
       * Define a command.
       *
       * There are two styles of command: pay attention to where to put the description.
       *
       * @example
       * // Command implemented using action handler (description is supplied separately to `.command`)
       * program
       *   .command('clone <source> [destination]')
       *   .description('clone a repository into a newly created directory')
       *   .action((source, destination) => {
       *     console.log('clone command called');
       *   });
       *
       * // Command implemented using separate executable file (description is second parameter to `.command`)
       * program
       *   .command('start <service>', 'start named service')
       *   .command('stop [service]', 'stop named service, or all if no name supplied');
       *
       * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
       * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
       * @param {object} [execOpts] - configuration options (for executable)
       * @return {Command} returns new command for action handler, or `this` for executable command
       */
      command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
        let desc = actionOptsOrExecDesc;
        let opts = execOpts;
        if (typeof desc === "object" && desc !== null) {
          opts = desc;
          desc = null;
        }
        opts = opts || {};
        const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);
        const cmd = this.createCommand(name);
        if (desc) {
          cmd.description(desc);
          cmd._executableHandler = true;
        }
        if (opts.isDefault) this._defaultCommandName = cmd._name;
        cmd._hidden = !!(opts.noHelp || opts.hidden);
        cmd._executableFile = opts.executableFile || null;
        if (args) cmd.arguments(args);
        this._registerCommand(cmd);
        cmd.parent = this;
        cmd.copyInheritedSettings(this);
        if (desc) return this;
        return cmd;
      }
      /**
       * Factory routine to create a new unattached command.
       *
       * See .command() for creating an attached subcommand, which uses this routine to
       * create the command. You can override createCommand to customise subcommands.
       *
       * @param {string} [name]
       * @return {Command} new command
       */
      createCommand(name) {
        return new _Command(name);
      }
      /**
       * You can customise the help with a subclass of Help by overriding createHelp,
       * or by overriding Help properties using configureHelp().
       *
       * @return {Help}
       */
      createHelp() {
        return Object.assign(new Help2(), this.configureHelp());
      }
      /**
       * You can customise the help by overriding Help properties using configureHelp(),
       * or with a subclass of Help by overriding createHelp().
       *
       * @param {object} [configuration] - configuration options
       * @return {(Command | object)} `this` command for chaining, or stored configuration
       */
      configureHelp(configuration) {
        if (configuration === void 0) return this._helpConfiguration;
        this._helpConfiguration = configuration;
        return this;
      }
      /**
       * The default output goes to stdout and stderr. You can customise this for special
       * applications. You can also customise the display of errors by overriding outputError.
       *
       * The configuration properties are all functions:
       *
       *     // change how output being written, defaults to stdout and stderr
       *     writeOut(str)
       *     writeErr(str)
       *     // change how output being written for errors, defaults to writeErr
       *     outputError(str, write) // used for displaying errors and not used for displaying help
       *     // specify width for wrapping help
       *     getOutHelpWidth()
       *     getErrHelpWidth()
       *     // color support, currently only used with Help
       *     getOutHasColors()
       *     getErrHasColors()
       *     stripColor() // used to remove ANSI escape codes if output does not have colors
       *
       * @param {object} [configuration] - configuration options
       * @return {(Command | object)} `this` command for chaining, or stored configuration
       */
      configureOutput(configuration) {
        if (configuration === void 0) return this._outputConfiguration;
        this._outputConfiguration = {
          ...this._outputConfiguration,
          ...configuration
        };
        return this;
      }
      /**
       * Display the help or a custom message after an error occurs.
       *
       * @param {(boolean|string)} [displayHelp]
       * @return {Command} `this` command for chaining
       */
      showHelpAfterError(displayHelp = true) {
        if (typeof displayHelp !== "string") displayHelp = !!displayHelp;
        this._showHelpAfterError = displayHelp;
        return this;
      }
      /**
       * Display suggestion of similar commands for unknown commands, or options for unknown options.
       *
       * @param {boolean} [displaySuggestion]
       * @return {Command} `this` command for chaining
       */
      showSuggestionAfterError(displaySuggestion = true) {
        this._showSuggestionAfterError = !!displaySuggestion;
        return this;
      }
      /**
       * Add a prepared subcommand.
       *
       * See .command() for creating an attached subcommand which inherits settings from its parent.
       *
       * @param {Command} cmd - new subcommand
       * @param {object} [opts] - configuration options
       * @return {Command} `this` command for chaining
       */
      addCommand(cmd, opts) {
        if (!cmd._name) {
          throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
        }
        opts = opts || {};
        if (opts.isDefault) this._defaultCommandName = cmd._name;
        if (opts.noHelp || opts.hidden) cmd._hidden = true;
        this._registerCommand(cmd);
        cmd.parent = this;
        cmd._checkForBrokenPassThrough();
        return this;
      }
      /**
       * Factory routine to create a new unattached argument.
       *
       * See .argument() for creating an attached argument, which uses this routine to
       * create the argument. You can override createArgument to return a custom argument.
       *
       * @param {string} name
       * @param {string} [description]
       * @return {Argument} new argument
       */
      createArgument(name, description) {
        return new Argument2(name, description);
      }
      /**
       * Define argument syntax for command.
       *
       * The default is that the argument is required, and you can explicitly
       * indicate this with <> around the name. Put [] around the name for an optional argument.
       *
       * @example
       * program.argument('<input-file>');
       * program.argument('[output-file]');
       *
       * @param {string} name
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom argument processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      argument(name, description, parseArg, defaultValue) {
        const argument = this.createArgument(name, description);
        if (typeof parseArg === "function") {
          argument.default(defaultValue).argParser(parseArg);
        } else {
          argument.default(parseArg);
        }
        this.addArgument(argument);
        return this;
      }
      /**
       * Define argument syntax for command, adding multiple at once (without descriptions).
       *
       * See also .argument().
       *
       * @example
       * program.arguments('<cmd> [env]');
       *
       * @param {string} names
       * @return {Command} `this` command for chaining
       */
      arguments(names) {
        names.trim().split(/ +/).forEach((detail) => {
          this.argument(detail);
        });
        return this;
      }
      /**
       * Define argument syntax for command, adding a prepared argument.
       *
       * @param {Argument} argument
       * @return {Command} `this` command for chaining
       */
      addArgument(argument) {
        const previousArgument = this.registeredArguments.slice(-1)[0];
        if (previousArgument?.variadic) {
          throw new Error(
            `only the last argument can be variadic '${previousArgument.name()}'`
          );
        }
        if (argument.required && argument.defaultValue !== void 0 && argument.parseArg === void 0) {
          throw new Error(
            `a default value for a required argument is never used: '${argument.name()}'`
          );
        }
        this.registeredArguments.push(argument);
        return this;
      }
      /**
       * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
       *
       * @example
       *    program.helpCommand('help [cmd]');
       *    program.helpCommand('help [cmd]', 'show help');
       *    program.helpCommand(false); // suppress default help command
       *    program.helpCommand(true); // add help command even if no subcommands
       *
       * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
       * @param {string} [description] - custom description
       * @return {Command} `this` command for chaining
       */
      helpCommand(enableOrNameAndArgs, description) {
        if (typeof enableOrNameAndArgs === "boolean") {
          this._addImplicitHelpCommand = enableOrNameAndArgs;
          if (enableOrNameAndArgs && this._defaultCommandGroup) {
            this._initCommandGroup(this._getHelpCommand());
          }
          return this;
        }
        const nameAndArgs = enableOrNameAndArgs ?? "help [command]";
        const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
        const helpDescription = description ?? "display help for command";
        const helpCommand = this.createCommand(helpName);
        helpCommand.helpOption(false);
        if (helpArgs) helpCommand.arguments(helpArgs);
        if (helpDescription) helpCommand.description(helpDescription);
        this._addImplicitHelpCommand = true;
        this._helpCommand = helpCommand;
        if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);
        return this;
      }
      /**
       * Add prepared custom help command.
       *
       * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
       * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
       * @return {Command} `this` command for chaining
       */
      addHelpCommand(helpCommand, deprecatedDescription) {
        if (typeof helpCommand !== "object") {
          this.helpCommand(helpCommand, deprecatedDescription);
          return this;
        }
        this._addImplicitHelpCommand = true;
        this._helpCommand = helpCommand;
        this._initCommandGroup(helpCommand);
        return this;
      }
      /**
       * Lazy create help command.
       *
       * @return {(Command|null)}
       * @package
       */
      _getHelpCommand() {
        const hasImplicitHelpCommand = this._addImplicitHelpCommand ?? (this.commands.length && !this._actionHandler && !this._findCommand("help"));
        if (hasImplicitHelpCommand) {
          if (this._helpCommand === void 0) {
            this.helpCommand(void 0, void 0);
          }
          return this._helpCommand;
        }
        return null;
      }
      /**
       * Add hook for life cycle event.
       *
       * @param {string} event
       * @param {Function} listener
       * @return {Command} `this` command for chaining
       */
      hook(event, listener) {
        const allowedValues = ["preSubcommand", "preAction", "postAction"];
        if (!allowedValues.includes(event)) {
          throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
        }
        if (this._lifeCycleHooks[event]) {
          this._lifeCycleHooks[event].push(listener);
        } else {
          this._lifeCycleHooks[event] = [listener];
        }
        return this;
      }
      /**
       * Register callback to use as replacement for calling process.exit.
       *
       * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
       * @return {Command} `this` command for chaining
       */
      exitOverride(fn) {
        if (fn) {
          this._exitCallback = fn;
        } else {
          this._exitCallback = (err) => {
            if (err.code !== "commander.executeSubCommandAsync") {
              throw err;
            } else {
            }
          };
        }
        return this;
      }
      /**
       * Call process.exit, and _exitCallback if defined.
       *
       * @param {number} exitCode exit code for using with process.exit
       * @param {string} code an id string representing the error
       * @param {string} message human-readable description of the error
       * @return never
       * @private
       */
      _exit(exitCode, code, message) {
        if (this._exitCallback) {
          this._exitCallback(new CommanderError2(exitCode, code, message));
        }
        process2.exit(exitCode);
      }
      /**
       * Register callback `fn` for the command.
       *
       * @example
       * program
       *   .command('serve')
       *   .description('start service')
       *   .action(function() {
       *      // do work here
       *   });
       *
       * @param {Function} fn
       * @return {Command} `this` command for chaining
       */
      action(fn) {
        const listener = (args) => {
          const expectedArgsCount = this.registeredArguments.length;
          const actionArgs = args.slice(0, expectedArgsCount);
          if (this._storeOptionsAsProperties) {
            actionArgs[expectedArgsCount] = this;
          } else {
            actionArgs[expectedArgsCount] = this.opts();
          }
          actionArgs.push(this);
          return fn.apply(this, actionArgs);
        };
        this._actionHandler = listener;
        return this;
      }
      /**
       * Factory routine to create a new unattached option.
       *
       * See .option() for creating an attached option, which uses this routine to
       * create the option. You can override createOption to return a custom option.
       *
       * @param {string} flags
       * @param {string} [description]
       * @return {Option} new option
       */
      createOption(flags, description) {
        return new Option2(flags, description);
      }
      /**
       * Wrap parseArgs to catch 'commander.invalidArgument'.
       *
       * @param {(Option | Argument)} target
       * @param {string} value
       * @param {*} previous
       * @param {string} invalidArgumentMessage
       * @private
       */
      _callParseArg(target, value, previous, invalidArgumentMessage) {
        try {
          return target.parseArg(value, previous);
        } catch (err) {
          if (err.code === "commander.invalidArgument") {
            const message = `${invalidArgumentMessage} ${err.message}`;
            this.error(message, { exitCode: err.exitCode, code: err.code });
          }
          throw err;
        }
      }
      /**
       * Check for option flag conflicts.
       * Register option if no conflicts found, or throw on conflict.
       *
       * @param {Option} option
       * @private
       */
      _registerOption(option) {
        const matchingOption = option.short && this._findOption(option.short) || option.long && this._findOption(option.long);
        if (matchingOption) {
          const matchingFlag = option.long && this._findOption(option.long) ? option.long : option.short;
          throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
        }
        this._initOptionGroup(option);
        this.options.push(option);
      }
      /**
       * Check for command name and alias conflicts with existing commands.
       * Register command if no conflicts found, or throw on conflict.
       *
       * @param {Command} command
       * @private
       */
      _registerCommand(command) {
        const knownBy = (cmd) => {
          return [cmd.name()].concat(cmd.aliases());
        };
        const alreadyUsed = knownBy(command).find(
          (name) => this._findCommand(name)
        );
        if (alreadyUsed) {
          const existingCmd = knownBy(this._findCommand(alreadyUsed)).join("|");
          const newCmd = knownBy(command).join("|");
          throw new Error(
            `cannot add command '${newCmd}' as already have command '${existingCmd}'`
          );
        }
        this._initCommandGroup(command);
        this.commands.push(command);
      }
      /**
       * Add an option.
       *
       * @param {Option} option
       * @return {Command} `this` command for chaining
       */
      addOption(option) {
        this._registerOption(option);
        const oname = option.name();
        const name = option.attributeName();
        if (option.negate) {
          const positiveLongFlag = option.long.replace(/^--no-/, "--");
          if (!this._findOption(positiveLongFlag)) {
            this.setOptionValueWithSource(
              name,
              option.defaultValue === void 0 ? true : option.defaultValue,
              "default"
            );
          }
        } else if (option.defaultValue !== void 0) {
          this.setOptionValueWithSource(name, option.defaultValue, "default");
        }
        const handleOptionValue = (val, invalidValueMessage, valueSource) => {
          if (val == null && option.presetArg !== void 0) {
            val = option.presetArg;
          }
          const oldValue = this.getOptionValue(name);
          if (val !== null && option.parseArg) {
            val = this._callParseArg(option, val, oldValue, invalidValueMessage);
          } else if (val !== null && option.variadic) {
            val = option._collectValue(val, oldValue);
          }
          if (val == null) {
            if (option.negate) {
              val = false;
            } else if (option.isBoolean() || option.optional) {
              val = true;
            } else {
              val = "";
            }
          }
          this.setOptionValueWithSource(name, val, valueSource);
        };
        this.on("option:" + oname, (val) => {
          const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
          handleOptionValue(val, invalidValueMessage, "cli");
        });
        if (option.envVar) {
          this.on("optionEnv:" + oname, (val) => {
            const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
            handleOptionValue(val, invalidValueMessage, "env");
          });
        }
        return this;
      }
      /**
       * Internal implementation shared by .option() and .requiredOption()
       *
       * @return {Command} `this` command for chaining
       * @private
       */
      _optionEx(config, flags, description, fn, defaultValue) {
        if (typeof flags === "object" && flags instanceof Option2) {
          throw new Error(
            "To add an Option object use addOption() instead of option() or requiredOption()"
          );
        }
        const option = this.createOption(flags, description);
        option.makeOptionMandatory(!!config.mandatory);
        if (typeof fn === "function") {
          option.default(defaultValue).argParser(fn);
        } else if (fn instanceof RegExp) {
          const regex = fn;
          fn = (val, def) => {
            const m = regex.exec(val);
            return m ? m[0] : def;
          };
          option.default(defaultValue).argParser(fn);
        } else {
          option.default(fn);
        }
        return this.addOption(option);
      }
      /**
       * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
       *
       * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
       * option-argument is indicated by `<>` and an optional option-argument by `[]`.
       *
       * See the README for more details, and see also addOption() and requiredOption().
       *
       * @example
       * program
       *     .option('-p, --pepper', 'add pepper')
       *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
       *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
       *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
       *
       * @param {string} flags
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom option processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      option(flags, description, parseArg, defaultValue) {
        return this._optionEx({}, flags, description, parseArg, defaultValue);
      }
      /**
       * Add a required option which must have a value after parsing. This usually means
       * the option must be specified on the command line. (Otherwise the same as .option().)
       *
       * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
       *
       * @param {string} flags
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom option processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      requiredOption(flags, description, parseArg, defaultValue) {
        return this._optionEx(
          { mandatory: true },
          flags,
          description,
          parseArg,
          defaultValue
        );
      }
      /**
       * Alter parsing of short flags with optional values.
       *
       * @example
       * // for `.option('-f,--flag [value]'):
       * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
       * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
       *
       * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
       * @return {Command} `this` command for chaining
       */
      combineFlagAndOptionalValue(combine = true) {
        this._combineFlagAndOptionalValue = !!combine;
        return this;
      }
      /**
       * Allow unknown options on the command line.
       *
       * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
       * @return {Command} `this` command for chaining
       */
      allowUnknownOption(allowUnknown = true) {
        this._allowUnknownOption = !!allowUnknown;
        return this;
      }
      /**
       * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
       *
       * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
       * @return {Command} `this` command for chaining
       */
      allowExcessArguments(allowExcess = true) {
        this._allowExcessArguments = !!allowExcess;
        return this;
      }
      /**
       * Enable positional options. Positional means global options are specified before subcommands which lets
       * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
       * The default behaviour is non-positional and global options may appear anywhere on the command line.
       *
       * @param {boolean} [positional]
       * @return {Command} `this` command for chaining
       */
      enablePositionalOptions(positional = true) {
        this._enablePositionalOptions = !!positional;
        return this;
      }
      /**
       * Pass through options that come after command-arguments rather than treat them as command-options,
       * so actual command-options come before command-arguments. Turning this on for a subcommand requires
       * positional options to have been enabled on the program (parent commands).
       * The default behaviour is non-positional and options may appear before or after command-arguments.
       *
       * @param {boolean} [passThrough] for unknown options.
       * @return {Command} `this` command for chaining
       */
      passThroughOptions(passThrough = true) {
        this._passThroughOptions = !!passThrough;
        this._checkForBrokenPassThrough();
        return this;
      }
      /**
       * @private
       */
      _checkForBrokenPassThrough() {
        if (this.parent && this._passThroughOptions && !this.parent._enablePositionalOptions) {
          throw new Error(
            `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`
          );
        }
      }
      /**
       * Whether to store option values as properties on command object,
       * or store separately (specify false). In both cases the option values can be accessed using .opts().
       *
       * @param {boolean} [storeAsProperties=true]
       * @return {Command} `this` command for chaining
       */
      storeOptionsAsProperties(storeAsProperties = true) {
        if (this.options.length) {
          throw new Error("call .storeOptionsAsProperties() before adding options");
        }
        if (Object.keys(this._optionValues).length) {
          throw new Error(
            "call .storeOptionsAsProperties() before setting option values"
          );
        }
        this._storeOptionsAsProperties = !!storeAsProperties;
        return this;
      }
      /**
       * Retrieve option value.
       *
       * @param {string} key
       * @return {object} value
       */
      getOptionValue(key) {
        if (this._storeOptionsAsProperties) {
          return this[key];
        }
        return this._optionValues[key];
      }
      /**
       * Store option value.
       *
       * @param {string} key
       * @param {object} value
       * @return {Command} `this` command for chaining
       */
      setOptionValue(key, value) {
        return this.setOptionValueWithSource(key, value, void 0);
      }
      /**
       * Store option value and where the value came from.
       *
       * @param {string} key
       * @param {object} value
       * @param {string} source - expected values are default/config/env/cli/implied
       * @return {Command} `this` command for chaining
       */
      setOptionValueWithSource(key, value, source) {
        if (this._storeOptionsAsProperties) {
          this[key] = value;
        } else {
          this._optionValues[key] = value;
        }
        this._optionValueSources[key] = source;
        return this;
      }
      /**
       * Get source of option value.
       * Expected values are default | config | env | cli | implied
       *
       * @param {string} key
       * @return {string}
       */
      getOptionValueSource(key) {
        return this._optionValueSources[key];
      }
      /**
       * Get source of option value. See also .optsWithGlobals().
       * Expected values are default | config | env | cli | implied
       *
       * @param {string} key
       * @return {string}
       */
      getOptionValueSourceWithGlobals(key) {
        let source;
        this._getCommandAndAncestors().forEach((cmd) => {
          if (cmd.getOptionValueSource(key) !== void 0) {
            source = cmd.getOptionValueSource(key);
          }
        });
        return source;
      }
      /**
       * Get user arguments from implied or explicit arguments.
       * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
       *
       * @private
       */
      _prepareUserArgs(argv, parseOptions) {
        if (argv !== void 0 && !Array.isArray(argv)) {
          throw new Error("first parameter to parse must be array or undefined");
        }
        parseOptions = parseOptions || {};
        if (argv === void 0 && parseOptions.from === void 0) {
          if (process2.versions?.electron) {
            parseOptions.from = "electron";
          }
          const execArgv = process2.execArgv ?? [];
          if (execArgv.includes("-e") || execArgv.includes("--eval") || execArgv.includes("-p") || execArgv.includes("--print")) {
            parseOptions.from = "eval";
          }
        }
        if (argv === void 0) {
          argv = process2.argv;
        }
        this.rawArgs = argv.slice();
        let userArgs;
        switch (parseOptions.from) {
          case void 0:
          case "node":
            this._scriptPath = argv[1];
            userArgs = argv.slice(2);
            break;
          case "electron":
            if (process2.defaultApp) {
              this._scriptPath = argv[1];
              userArgs = argv.slice(2);
            } else {
              userArgs = argv.slice(1);
            }
            break;
          case "user":
            userArgs = argv.slice(0);
            break;
          case "eval":
            userArgs = argv.slice(1);
            break;
          default:
            throw new Error(
              `unexpected parse option { from: '${parseOptions.from}' }`
            );
        }
        if (!this._name && this._scriptPath)
          this.nameFromFilename(this._scriptPath);
        this._name = this._name || "program";
        return userArgs;
      }
      /**
       * Parse `argv`, setting options and invoking commands when defined.
       *
       * Use parseAsync instead of parse if any of your action handlers are async.
       *
       * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
       *
       * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
       * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
       * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
       * - `'user'`: just user arguments
       *
       * @example
       * program.parse(); // parse process.argv and auto-detect electron and special node flags
       * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
       * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
       *
       * @param {string[]} [argv] - optional, defaults to process.argv
       * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
       * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
       * @return {Command} `this` command for chaining
       */
      parse(argv, parseOptions) {
        this._prepareForParse();
        const userArgs = this._prepareUserArgs(argv, parseOptions);
        this._parseCommand([], userArgs);
        return this;
      }
      /**
       * Parse `argv`, setting options and invoking commands when defined.
       *
       * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
       *
       * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
       * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
       * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
       * - `'user'`: just user arguments
       *
       * @example
       * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
       * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
       * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
       *
       * @param {string[]} [argv]
       * @param {object} [parseOptions]
       * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
       * @return {Promise}
       */
      async parseAsync(argv, parseOptions) {
        this._prepareForParse();
        const userArgs = this._prepareUserArgs(argv, parseOptions);
        await this._parseCommand([], userArgs);
        return this;
      }
      _prepareForParse() {
        if (this._savedState === null) {
          this.saveStateBeforeParse();
        } else {
          this.restoreStateBeforeParse();
        }
      }
      /**
       * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
       * Not usually called directly, but available for subclasses to save their custom state.
       *
       * This is called in a lazy way. Only commands used in parsing chain will have state saved.
       */
      saveStateBeforeParse() {
        this._savedState = {
          // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
          _name: this._name,
          // option values before parse have default values (including false for negated options)
          // shallow clones
          _optionValues: { ...this._optionValues },
          _optionValueSources: { ...this._optionValueSources }
        };
      }
      /**
       * Restore state before parse for calls after the first.
       * Not usually called directly, but available for subclasses to save their custom state.
       *
       * This is called in a lazy way. Only commands used in parsing chain will have state restored.
       */
      restoreStateBeforeParse() {
        if (this._storeOptionsAsProperties)
          throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);
        this._name = this._savedState._name;
        this._scriptPath = null;
        this.rawArgs = [];
        this._optionValues = { ...this._savedState._optionValues };
        this._optionValueSources = { ...this._savedState._optionValueSources };
        this.args = [];
        this.processedArgs = [];
      }
      /**
       * Throw if expected executable is missing. Add lots of help for author.
       *
       * @param {string} executableFile
       * @param {string} executableDir
       * @param {string} subcommandName
       */
      _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
        if (fs.existsSync(executableFile)) return;
        const executableDirMessage = executableDir ? `searched for local subcommand relative to directory '${executableDir}'` : "no directory for search for local subcommand, use .executableDir() to supply a custom directory";
        const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
        throw new Error(executableMissing);
      }
      /**
       * Execute a sub-command executable.
       *
       * @private
       */
      _executeSubCommand(subcommand, args) {
        args = args.slice();
        let launchWithNode = false;
        const sourceExt = [".js", ".ts", ".tsx", ".mjs", ".cjs"];
        function findFile(baseDir, baseName) {
          const localBin = path.resolve(baseDir, baseName);
          if (fs.existsSync(localBin)) return localBin;
          if (sourceExt.includes(path.extname(baseName))) return void 0;
          const foundExt = sourceExt.find(
            (ext) => fs.existsSync(`${localBin}${ext}`)
          );
          if (foundExt) return `${localBin}${foundExt}`;
          return void 0;
        }
        this._checkForMissingMandatoryOptions();
        this._checkForConflictingOptions();
        let executableFile = subcommand._executableFile || `${this._name}-${subcommand._name}`;
        let executableDir = this._executableDir || "";
        if (this._scriptPath) {
          let resolvedScriptPath;
          try {
            resolvedScriptPath = fs.realpathSync(this._scriptPath);
          } catch {
            resolvedScriptPath = this._scriptPath;
          }
          executableDir = path.resolve(
            path.dirname(resolvedScriptPath),
            executableDir
          );
        }
        if (executableDir) {
          let localFile = findFile(executableDir, executableFile);
          if (!localFile && !subcommand._executableFile && this._scriptPath) {
            const legacyName = path.basename(
              this._scriptPath,
              path.extname(this._scriptPath)
            );
            if (legacyName !== this._name) {
              localFile = findFile(
                executableDir,
                `${legacyName}-${subcommand._name}`
              );
            }
          }
          executableFile = localFile || executableFile;
        }
        launchWithNode = sourceExt.includes(path.extname(executableFile));
        let proc;
        if (process2.platform !== "win32") {
          if (launchWithNode) {
            args.unshift(executableFile);
            args = incrementNodeInspectorPort(process2.execArgv).concat(args);
            proc = childProcess.spawn(process2.argv[0], args, { stdio: "inherit" });
          } else {
            proc = childProcess.spawn(executableFile, args, { stdio: "inherit" });
          }
        } else {
          this._checkForMissingExecutable(
            executableFile,
            executableDir,
            subcommand._name
          );
          args.unshift(executableFile);
          args = incrementNodeInspectorPort(process2.execArgv).concat(args);
          proc = childProcess.spawn(process2.execPath, args, { stdio: "inherit" });
        }
        if (!proc.killed) {
          const signals = ["SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"];
          signals.forEach((signal) => {
            process2.on(signal, () => {
              if (proc.killed === false && proc.exitCode === null) {
                proc.kill(signal);
              }
            });
          });
        }
        const exitCallback = this._exitCallback;
        proc.on("close", (code) => {
          code = code ?? 1;
          if (!exitCallback) {
            process2.exit(code);
          } else {
            exitCallback(
              new CommanderError2(
                code,
                "commander.executeSubCommandAsync",
                "(close)"
              )
            );
          }
        });
        proc.on("error", (err) => {
          if (err.code === "ENOENT") {
            this._checkForMissingExecutable(
              executableFile,
              executableDir,
              subcommand._name
            );
          } else if (err.code === "EACCES") {
            throw new Error(`'${executableFile}' not executable`);
          }
          if (!exitCallback) {
            process2.exit(1);
          } else {
            const wrappedError = new CommanderError2(
              1,
              "commander.executeSubCommandAsync",
              "(error)"
            );
            wrappedError.nestedError = err;
            exitCallback(wrappedError);
          }
        });
        this.runningCommand = proc;
      }
      /**
       * @private
       */
      _dispatchSubcommand(commandName, operands, unknown) {
        const subCommand = this._findCommand(commandName);
        if (!subCommand) this.help({ error: true });
        subCommand._prepareForParse();
        let promiseChain;
        promiseChain = this._chainOrCallSubCommandHook(
          promiseChain,
          subCommand,
          "preSubcommand"
        );
        promiseChain = this._chainOrCall(promiseChain, () => {
          if (subCommand._executableHandler) {
            this._executeSubCommand(subCommand, operands.concat(unknown));
          } else {
            return subCommand._parseCommand(operands, unknown);
          }
        });
        return promiseChain;
      }
      /**
       * Invoke help directly if possible, or dispatch if necessary.
       * e.g. help foo
       *
       * @private
       */
      _dispatchHelpCommand(subcommandName) {
        if (!subcommandName) {
          this.help();
        }
        const subCommand = this._findCommand(subcommandName);
        if (subCommand && !subCommand._executableHandler) {
          subCommand.help();
        }
        return this._dispatchSubcommand(
          subcommandName,
          [],
          [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? "--help"]
        );
      }
      /**
       * Check this.args against expected this.registeredArguments.
       *
       * @private
       */
      _checkNumberOfArguments() {
        this.registeredArguments.forEach((arg, i) => {
          if (arg.required && this.args[i] == null) {
            this.missingArgument(arg.name());
          }
        });
        if (this.registeredArguments.length > 0 && this.registeredArguments[this.registeredArguments.length - 1].variadic) {
          return;
        }
        if (this.args.length > this.registeredArguments.length) {
          this._excessArguments(this.args);
        }
      }
      /**
       * Process this.args using this.registeredArguments and save as this.processedArgs!
       *
       * @private
       */
      _processArguments() {
        const myParseArg = (argument, value, previous) => {
          let parsedValue = value;
          if (value !== null && argument.parseArg) {
            const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
            parsedValue = this._callParseArg(
              argument,
              value,
              previous,
              invalidValueMessage
            );
          }
          return parsedValue;
        };
        this._checkNumberOfArguments();
        const processedArgs = [];
        this.registeredArguments.forEach((declaredArg, index) => {
          let value = declaredArg.defaultValue;
          if (declaredArg.variadic) {
            if (index < this.args.length) {
              value = this.args.slice(index);
              if (declaredArg.parseArg) {
                value = value.reduce((processed, v) => {
                  return myParseArg(declaredArg, v, processed);
                }, declaredArg.defaultValue);
              }
            } else if (value === void 0) {
              value = [];
            }
          } else if (index < this.args.length) {
            value = this.args[index];
            if (declaredArg.parseArg) {
              value = myParseArg(declaredArg, value, declaredArg.defaultValue);
            }
          }
          processedArgs[index] = value;
        });
        this.processedArgs = processedArgs;
      }
      /**
       * Once we have a promise we chain, but call synchronously until then.
       *
       * @param {(Promise|undefined)} promise
       * @param {Function} fn
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCall(promise, fn) {
        if (promise?.then && typeof promise.then === "function") {
          return promise.then(() => fn());
        }
        return fn();
      }
      /**
       *
       * @param {(Promise|undefined)} promise
       * @param {string} event
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCallHooks(promise, event) {
        let result = promise;
        const hooks = [];
        this._getCommandAndAncestors().reverse().filter((cmd) => cmd._lifeCycleHooks[event] !== void 0).forEach((hookedCommand) => {
          hookedCommand._lifeCycleHooks[event].forEach((callback) => {
            hooks.push({ hookedCommand, callback });
          });
        });
        if (event === "postAction") {
          hooks.reverse();
        }
        hooks.forEach((hookDetail) => {
          result = this._chainOrCall(result, () => {
            return hookDetail.callback(hookDetail.hookedCommand, this);
          });
        });
        return result;
      }
      /**
       *
       * @param {(Promise|undefined)} promise
       * @param {Command} subCommand
       * @param {string} event
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCallSubCommandHook(promise, subCommand, event) {
        let result = promise;
        if (this._lifeCycleHooks[event] !== void 0) {
          this._lifeCycleHooks[event].forEach((hook) => {
            result = this._chainOrCall(result, () => {
              return hook(this, subCommand);
            });
          });
        }
        return result;
      }
      /**
       * Process arguments in context of this command.
       * Returns action result, in case it is a promise.
       *
       * @private
       */
      _parseCommand(operands, unknown) {
        const parsed = this.parseOptions(unknown);
        this._parseOptionsEnv();
        this._parseOptionsImplied();
        operands = operands.concat(parsed.operands);
        unknown = parsed.unknown;
        this.args = operands.concat(unknown);
        if (operands && this._findCommand(operands[0])) {
          return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
        }
        if (this._getHelpCommand() && operands[0] === this._getHelpCommand().name()) {
          return this._dispatchHelpCommand(operands[1]);
        }
        if (this._defaultCommandName) {
          this._outputHelpIfRequested(unknown);
          return this._dispatchSubcommand(
            this._defaultCommandName,
            operands,
            unknown
          );
        }
        if (this.commands.length && this.args.length === 0 && !this._actionHandler && !this._defaultCommandName) {
          this.help({ error: true });
        }
        this._outputHelpIfRequested(parsed.unknown);
        this._checkForMissingMandatoryOptions();
        this._checkForConflictingOptions();
        const checkForUnknownOptions = () => {
          if (parsed.unknown.length > 0) {
            this.unknownOption(parsed.unknown[0]);
          }
        };
        const commandEvent = `command:${this.name()}`;
        if (this._actionHandler) {
          checkForUnknownOptions();
          this._processArguments();
          let promiseChain;
          promiseChain = this._chainOrCallHooks(promiseChain, "preAction");
          promiseChain = this._chainOrCall(
            promiseChain,
            () => this._actionHandler(this.processedArgs)
          );
          if (this.parent) {
            promiseChain = this._chainOrCall(promiseChain, () => {
              this.parent.emit(commandEvent, operands, unknown);
            });
          }
          promiseChain = this._chainOrCallHooks(promiseChain, "postAction");
          return promiseChain;
        }
        if (this.parent?.listenerCount(commandEvent)) {
          checkForUnknownOptions();
          this._processArguments();
          this.parent.emit(commandEvent, operands, unknown);
        } else if (operands.length) {
          if (this._findCommand("*")) {
            return this._dispatchSubcommand("*", operands, unknown);
          }
          if (this.listenerCount("command:*")) {
            this.emit("command:*", operands, unknown);
          } else if (this.commands.length) {
            this.unknownCommand();
          } else {
            checkForUnknownOptions();
            this._processArguments();
          }
        } else if (this.commands.length) {
          checkForUnknownOptions();
          this.help({ error: true });
        } else {
          checkForUnknownOptions();
          this._processArguments();
        }
      }
      /**
       * Find matching command.
       *
       * @private
       * @return {Command | undefined}
       */
      _findCommand(name) {
        if (!name) return void 0;
        return this.commands.find(
          (cmd) => cmd._name === name || cmd._aliases.includes(name)
        );
      }
      /**
       * Return an option matching `arg` if any.
       *
       * @param {string} arg
       * @return {Option}
       * @package
       */
      _findOption(arg) {
        return this.options.find((option) => option.is(arg));
      }
      /**
       * Display an error message if a mandatory option does not have a value.
       * Called after checking for help flags in leaf subcommand.
       *
       * @private
       */
      _checkForMissingMandatoryOptions() {
        this._getCommandAndAncestors().forEach((cmd) => {
          cmd.options.forEach((anOption) => {
            if (anOption.mandatory && cmd.getOptionValue(anOption.attributeName()) === void 0) {
              cmd.missingMandatoryOptionValue(anOption);
            }
          });
        });
      }
      /**
       * Display an error message if conflicting options are used together in this.
       *
       * @private
       */
      _checkForConflictingLocalOptions() {
        const definedNonDefaultOptions = this.options.filter((option) => {
          const optionKey = option.attributeName();
          if (this.getOptionValue(optionKey) === void 0) {
            return false;
          }
          return this.getOptionValueSource(optionKey) !== "default";
        });
        const optionsWithConflicting = definedNonDefaultOptions.filter(
          (option) => option.conflictsWith.length > 0
        );
        optionsWithConflicting.forEach((option) => {
          const conflictingAndDefined = definedNonDefaultOptions.find(
            (defined) => option.conflictsWith.includes(defined.attributeName())
          );
          if (conflictingAndDefined) {
            this._conflictingOption(option, conflictingAndDefined);
          }
        });
      }
      /**
       * Display an error message if conflicting options are used together.
       * Called after checking for help flags in leaf subcommand.
       *
       * @private
       */
      _checkForConflictingOptions() {
        this._getCommandAndAncestors().forEach((cmd) => {
          cmd._checkForConflictingLocalOptions();
        });
      }
      /**
       * Parse options from `argv` removing known options,
       * and return argv split into operands and unknown arguments.
       *
       * Side effects: modifies command by storing options. Does not reset state if called again.
       *
       * Examples:
       *
       *     argv => operands, unknown
       *     --known kkk op => [op], []
       *     op --known kkk => [op], []
       *     sub --unknown uuu op => [sub], [--unknown uuu op]
       *     sub -- --unknown uuu op => [sub --unknown uuu op], []
       *
       * @param {string[]} args
       * @return {{operands: string[], unknown: string[]}}
       */
      parseOptions(args) {
        const operands = [];
        const unknown = [];
        let dest = operands;
        function maybeOption(arg) {
          return arg.length > 1 && arg[0] === "-";
        }
        const negativeNumberArg = (arg) => {
          if (!/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg)) return false;
          return !this._getCommandAndAncestors().some(
            (cmd) => cmd.options.map((opt) => opt.short).some((short) => /^-\d$/.test(short))
          );
        };
        let activeVariadicOption = null;
        let activeGroup = null;
        let i = 0;
        while (i < args.length || activeGroup) {
          const arg = activeGroup ?? args[i++];
          activeGroup = null;
          if (arg === "--") {
            if (dest === unknown) dest.push(arg);
            dest.push(...args.slice(i));
            break;
          }
          if (activeVariadicOption && (!maybeOption(arg) || negativeNumberArg(arg))) {
            this.emit(`option:${activeVariadicOption.name()}`, arg);
            continue;
          }
          activeVariadicOption = null;
          if (maybeOption(arg)) {
            const option = this._findOption(arg);
            if (option) {
              if (option.required) {
                const value = args[i++];
                if (value === void 0) this.optionMissingArgument(option);
                this.emit(`option:${option.name()}`, value);
              } else if (option.optional) {
                let value = null;
                if (i < args.length && (!maybeOption(args[i]) || negativeNumberArg(args[i]))) {
                  value = args[i++];
                }
                this.emit(`option:${option.name()}`, value);
              } else {
                this.emit(`option:${option.name()}`);
              }
              activeVariadicOption = option.variadic ? option : null;
              continue;
            }
          }
          if (arg.length > 2 && arg[0] === "-" && arg[1] !== "-") {
            const option = this._findOption(`-${arg[1]}`);
            if (option) {
              if (option.required || option.optional && this._combineFlagAndOptionalValue) {
                this.emit(`option:${option.name()}`, arg.slice(2));
              } else {
                this.emit(`option:${option.name()}`);
                activeGroup = `-${arg.slice(2)}`;
              }
              continue;
            }
          }
          if (/^--[^=]+=/.test(arg)) {
            const index = arg.indexOf("=");
            const option = this._findOption(arg.slice(0, index));
            if (option && (option.required || option.optional)) {
              this.emit(`option:${option.name()}`, arg.slice(index + 1));
              continue;
            }
          }
          if (dest === operands && maybeOption(arg) && !(this.commands.length === 0 && negativeNumberArg(arg))) {
            dest = unknown;
          }
          if ((this._enablePositionalOptions || this._passThroughOptions) && operands.length === 0 && unknown.length === 0) {
            if (this._findCommand(arg)) {
              operands.push(arg);
              unknown.push(...args.slice(i));
              break;
            } else if (this._getHelpCommand() && arg === this._getHelpCommand().name()) {
              operands.push(arg, ...args.slice(i));
              break;
            } else if (this._defaultCommandName) {
              unknown.push(arg, ...args.slice(i));
              break;
            }
          }
          if (this._passThroughOptions) {
            dest.push(arg, ...args.slice(i));
            break;
          }
          dest.push(arg);
        }
        return { operands, unknown };
      }
      /**
       * Return an object containing local option values as key-value pairs.
       *
       * @return {object}
       */
      opts() {
        if (this._storeOptionsAsProperties) {
          const result = {};
          const len = this.options.length;
          for (let i = 0; i < len; i++) {
            const key = this.options[i].attributeName();
            result[key] = key === this._versionOptionName ? this._version : this[key];
          }
          return result;
        }
        return this._optionValues;
      }
      /**
       * Return an object containing merged local and global option values as key-value pairs.
       *
       * @return {object}
       */
      optsWithGlobals() {
        return this._getCommandAndAncestors().reduce(
          (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
          {}
        );
      }
      /**
       * Display error message and exit (or call exitOverride).
       *
       * @param {string} message
       * @param {object} [errorOptions]
       * @param {string} [errorOptions.code] - an id string representing the error
       * @param {number} [errorOptions.exitCode] - used with process.exit
       */
      error(message, errorOptions) {
        this._outputConfiguration.outputError(
          `${message}
`,
          this._outputConfiguration.writeErr
        );
        if (typeof this._showHelpAfterError === "string") {
          this._outputConfiguration.writeErr(`${this._showHelpAfterError}
`);
        } else if (this._showHelpAfterError) {
          this._outputConfiguration.writeErr("\n");
          this.outputHelp({ error: true });
        }
        const config = errorOptions || {};
        const exitCode = config.exitCode || 1;
        const code = config.code || "commander.error";
        this._exit(exitCode, code, message);
      }
      /**
       * Apply any option related environment variables, if option does
       * not have a value from cli or client code.
       *
       * @private
       */
      _parseOptionsEnv() {
        this.options.forEach((option) => {
          if (option.envVar && option.envVar in process2.env) {
            const optionKey = option.attributeName();
            if (this.getOptionValue(optionKey) === void 0 || ["default", "config", "env"].includes(
              this.getOptionValueSource(optionKey)
            )) {
              if (option.required || option.optional) {
                this.emit(`optionEnv:${option.name()}`, process2.env[option.envVar]);
              } else {
                this.emit(`optionEnv:${option.name()}`);
              }
            }
          }
        });
      }
      /**
       * Apply any implied option values, if option is undefined or default value.
       *
       * @private
       */
      _parseOptionsImplied() {
        const dualHelper = new DualOptions(this.options);
        const hasCustomOptionValue = (optionKey) => {
          return this.getOptionValue(optionKey) !== void 0 && !["default", "implied"].includes(this.getOptionValueSource(optionKey));
        };
        this.options.filter(
          (option) => option.implied !== void 0 && hasCustomOptionValue(option.attributeName()) && dualHelper.valueFromOption(
            this.getOptionValue(option.attributeName()),
            option
          )
        ).forEach((option) => {
          Object.keys(option.implied).filter((impliedKey) => !hasCustomOptionValue(impliedKey)).forEach((impliedKey) => {
            this.setOptionValueWithSource(
              impliedKey,
              option.implied[impliedKey],
              "implied"
            );
          });
        });
      }
      /**
       * Argument `name` is missing.
       *
       * @param {string} name
       * @private
       */
      missingArgument(name) {
        const message = `error: missing required argument '${name}'`;
        this.error(message, { code: "commander.missingArgument" });
      }
      /**
       * `Option` is missing an argument.
       *
       * @param {Option} option
       * @private
       */
      optionMissingArgument(option) {
        const message = `error: option '${option.flags}' argument missing`;
        this.error(message, { code: "commander.optionMissingArgument" });
      }
      /**
       * `Option` does not have a value, and is a mandatory option.
       *
       * @param {Option} option
       * @private
       */
      missingMandatoryOptionValue(option) {
        const message = `error: required option '${option.flags}' not specified`;
        this.error(message, { code: "commander.missingMandatoryOptionValue" });
      }
      /**
       * `Option` conflicts with another option.
       *
       * @param {Option} option
       * @param {Option} conflictingOption
       * @private
       */
      _conflictingOption(option, conflictingOption) {
        const findBestOptionFromValue = (option2) => {
          const optionKey = option2.attributeName();
          const optionValue = this.getOptionValue(optionKey);
          const negativeOption = this.options.find(
            (target) => target.negate && optionKey === target.attributeName()
          );
          const positiveOption = this.options.find(
            (target) => !target.negate && optionKey === target.attributeName()
          );
          if (negativeOption && (negativeOption.presetArg === void 0 && optionValue === false || negativeOption.presetArg !== void 0 && optionValue === negativeOption.presetArg)) {
            return negativeOption;
          }
          return positiveOption || option2;
        };
        const getErrorMessage = (option2) => {
          const bestOption = findBestOptionFromValue(option2);
          const optionKey = bestOption.attributeName();
          const source = this.getOptionValueSource(optionKey);
          if (source === "env") {
            return `environment variable '${bestOption.envVar}'`;
          }
          return `option '${bestOption.flags}'`;
        };
        const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
        this.error(message, { code: "commander.conflictingOption" });
      }
      /**
       * Unknown option `flag`.
       *
       * @param {string} flag
       * @private
       */
      unknownOption(flag) {
        if (this._allowUnknownOption) return;
        let suggestion = "";
        if (flag.startsWith("--") && this._showSuggestionAfterError) {
          let candidateFlags = [];
          let command = this;
          do {
            const moreFlags = command.createHelp().visibleOptions(command).filter((option) => option.long).map((option) => option.long);
            candidateFlags = candidateFlags.concat(moreFlags);
            command = command.parent;
          } while (command && !command._enablePositionalOptions);
          suggestion = suggestSimilar(flag, candidateFlags);
        }
        const message = `error: unknown option '${flag}'${suggestion}`;
        this.error(message, { code: "commander.unknownOption" });
      }
      /**
       * Excess arguments, more than expected.
       *
       * @param {string[]} receivedArgs
       * @private
       */
      _excessArguments(receivedArgs) {
        if (this._allowExcessArguments) return;
        const expected = this.registeredArguments.length;
        const s = expected === 1 ? "" : "s";
        const forSubcommand = this.parent ? ` for '${this.name()}'` : "";
        const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${receivedArgs.length}.`;
        this.error(message, { code: "commander.excessArguments" });
      }
      /**
       * Unknown command.
       *
       * @private
       */
      unknownCommand() {
        const unknownName = this.args[0];
        let suggestion = "";
        if (this._showSuggestionAfterError) {
          const candidateNames = [];
          this.createHelp().visibleCommands(this).forEach((command) => {
            candidateNames.push(command.name());
            if (command.alias()) candidateNames.push(command.alias());
          });
          suggestion = suggestSimilar(unknownName, candidateNames);
        }
        const message = `error: unknown command '${unknownName}'${suggestion}`;
        this.error(message, { code: "commander.unknownCommand" });
      }
      /**
       * Get or set the program version.
       *
       * This method auto-registers the "-V, --version" option which will print the version number.
       *
       * You can optionally supply the flags and description to override the defaults.
       *
       * @param {string} [str]
       * @param {string} [flags]
       * @param {string} [description]
       * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
       */
      version(str, flags, description) {
        if (str === void 0) return this._version;
        this._version = str;
        flags = flags || "-V, --version";
        description = description || "output the version number";
        const versionOption = this.createOption(flags, description);
        this._versionOptionName = versionOption.attributeName();
        this._registerOption(versionOption);
        this.on("option:" + versionOption.name(), () => {
          this._outputConfiguration.writeOut(`${str}
`);
          this._exit(0, "commander.version", str);
        });
        return this;
      }
      /**
       * Set the description.
       *
       * @param {string} [str]
       * @param {object} [argsDescription]
       * @return {(string|Command)}
       */
      description(str, argsDescription) {
        if (str === void 0 && argsDescription === void 0)
          return this._description;
        this._description = str;
        if (argsDescription) {
          this._argsDescription = argsDescription;
        }
        return this;
      }
      /**
       * Set the summary. Used when listed as subcommand of parent.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      summary(str) {
        if (str === void 0) return this._summary;
        this._summary = str;
        return this;
      }
      /**
       * Set an alias for the command.
       *
       * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
       *
       * @param {string} [alias]
       * @return {(string|Command)}
       */
      alias(alias) {
        if (alias === void 0) return this._aliases[0];
        let command = this;
        if (this.commands.length !== 0 && this.commands[this.commands.length - 1]._executableHandler) {
          command = this.commands[this.commands.length - 1];
        }
        if (alias === command._name)
          throw new Error("Command alias can't be the same as its name");
        const matchingCommand = this.parent?._findCommand(alias);
        if (matchingCommand) {
          const existingCmd = [matchingCommand.name()].concat(matchingCommand.aliases()).join("|");
          throw new Error(
            `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`
          );
        }
        command._aliases.push(alias);
        return this;
      }
      /**
       * Set aliases for the command.
       *
       * Only the first alias is shown in the auto-generated help.
       *
       * @param {string[]} [aliases]
       * @return {(string[]|Command)}
       */
      aliases(aliases) {
        if (aliases === void 0) return this._aliases;
        aliases.forEach((alias) => this.alias(alias));
        return this;
      }
      /**
       * Set / get the command usage `str`.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      usage(str) {
        if (str === void 0) {
          if (this._usage) return this._usage;
          const args = this.registeredArguments.map((arg) => {
            return humanReadableArgName(arg);
          });
          return [].concat(
            this.options.length || this._helpOption !== null ? "[options]" : [],
            this.commands.length ? "[command]" : [],
            this.registeredArguments.length ? args : []
          ).join(" ");
        }
        this._usage = str;
        return this;
      }
      /**
       * Get or set the name of the command.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      name(str) {
        if (str === void 0) return this._name;
        this._name = str;
        return this;
      }
      /**
       * Set/get the help group heading for this subcommand in parent command's help.
       *
       * @param {string} [heading]
       * @return {Command | string}
       */
      helpGroup(heading) {
        if (heading === void 0) return this._helpGroupHeading ?? "";
        this._helpGroupHeading = heading;
        return this;
      }
      /**
       * Set/get the default help group heading for subcommands added to this command.
       * (This does not override a group set directly on the subcommand using .helpGroup().)
       *
       * @example
       * program.commandsGroup('Development Commands:);
       * program.command('watch')...
       * program.command('lint')...
       * ...
       *
       * @param {string} [heading]
       * @returns {Command | string}
       */
      commandsGroup(heading) {
        if (heading === void 0) return this._defaultCommandGroup ?? "";
        this._defaultCommandGroup = heading;
        return this;
      }
      /**
       * Set/get the default help group heading for options added to this command.
       * (This does not override a group set directly on the option using .helpGroup().)
       *
       * @example
       * program
       *   .optionsGroup('Development Options:')
       *   .option('-d, --debug', 'output extra debugging')
       *   .option('-p, --profile', 'output profiling information')
       *
       * @param {string} [heading]
       * @returns {Command | string}
       */
      optionsGroup(heading) {
        if (heading === void 0) return this._defaultOptionGroup ?? "";
        this._defaultOptionGroup = heading;
        return this;
      }
      /**
       * @param {Option} option
       * @private
       */
      _initOptionGroup(option) {
        if (this._defaultOptionGroup && !option.helpGroupHeading)
          option.helpGroup(this._defaultOptionGroup);
      }
      /**
       * @param {Command} cmd
       * @private
       */
      _initCommandGroup(cmd) {
        if (this._defaultCommandGroup && !cmd.helpGroup())
          cmd.helpGroup(this._defaultCommandGroup);
      }
      /**
       * Set the name of the command from script filename, such as process.argv[1],
       * or require.main.filename, or __filename.
       *
       * (Used internally and public although not documented in README.)
       *
       * @example
       * program.nameFromFilename(require.main.filename);
       *
       * @param {string} filename
       * @return {Command}
       */
      nameFromFilename(filename) {
        this._name = path.basename(filename, path.extname(filename));
        return this;
      }
      /**
       * Get or set the directory for searching for executable subcommands of this command.
       *
       * @example
       * program.executableDir(__dirname);
       * // or
       * program.executableDir('subcommands');
       *
       * @param {string} [path]
       * @return {(string|null|Command)}
       */
      executableDir(path2) {
        if (path2 === void 0) return this._executableDir;
        this._executableDir = path2;
        return this;
      }
      /**
       * Return program help documentation.
       *
       * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
       * @return {string}
       */
      helpInformation(contextOptions) {
        const helper = this.createHelp();
        const context = this._getOutputContext(contextOptions);
        helper.prepareContext({
          error: context.error,
          helpWidth: context.helpWidth,
          outputHasColors: context.hasColors
        });
        const text = helper.formatHelp(this, helper);
        if (context.hasColors) return text;
        return this._outputConfiguration.stripColor(text);
      }
      /**
       * @typedef HelpContext
       * @type {object}
       * @property {boolean} error
       * @property {number} helpWidth
       * @property {boolean} hasColors
       * @property {function} write - includes stripColor if needed
       *
       * @returns {HelpContext}
       * @private
       */
      _getOutputContext(contextOptions) {
        contextOptions = contextOptions || {};
        const error = !!contextOptions.error;
        let baseWrite;
        let hasColors;
        let helpWidth;
        if (error) {
          baseWrite = (str) => this._outputConfiguration.writeErr(str);
          hasColors = this._outputConfiguration.getErrHasColors();
          helpWidth = this._outputConfiguration.getErrHelpWidth();
        } else {
          baseWrite = (str) => this._outputConfiguration.writeOut(str);
          hasColors = this._outputConfiguration.getOutHasColors();
          helpWidth = this._outputConfiguration.getOutHelpWidth();
        }
        const write = (str) => {
          if (!hasColors) str = this._outputConfiguration.stripColor(str);
          return baseWrite(str);
        };
        return { error, write, hasColors, helpWidth };
      }
      /**
       * Output help information for this command.
       *
       * Outputs built-in help, and custom text added using `.addHelpText()`.
       *
       * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
       */
      outputHelp(contextOptions) {
        let deprecatedCallback;
        if (typeof contextOptions === "function") {
          deprecatedCallback = contextOptions;
          contextOptions = void 0;
        }
        const outputContext = this._getOutputContext(contextOptions);
        const eventContext = {
          error: outputContext.error,
          write: outputContext.write,
          command: this
        };
        this._getCommandAndAncestors().reverse().forEach((command) => command.emit("beforeAllHelp", eventContext));
        this.emit("beforeHelp", eventContext);
        let helpInformation = this.helpInformation({ error: outputContext.error });
        if (deprecatedCallback) {
          helpInformation = deprecatedCallback(helpInformation);
          if (typeof helpInformation !== "string" && !Buffer.isBuffer(helpInformation)) {
            throw new Error("outputHelp callback must return a string or a Buffer");
          }
        }
        outputContext.write(helpInformation);
        if (this._getHelpOption()?.long) {
          this.emit(this._getHelpOption().long);
        }
        this.emit("afterHelp", eventContext);
        this._getCommandAndAncestors().forEach(
          (command) => command.emit("afterAllHelp", eventContext)
        );
      }
      /**
       * You can pass in flags and a description to customise the built-in help option.
       * Pass in false to disable the built-in help option.
       *
       * @example
       * program.helpOption('-?, --help' 'show help'); // customise
       * program.helpOption(false); // disable
       *
       * @param {(string | boolean)} flags
       * @param {string} [description]
       * @return {Command} `this` command for chaining
       */
      helpOption(flags, description) {
        if (typeof flags === "boolean") {
          if (flags) {
            if (this._helpOption === null) this._helpOption = void 0;
            if (this._defaultOptionGroup) {
              this._initOptionGroup(this._getHelpOption());
            }
          } else {
            this._helpOption = null;
          }
          return this;
        }
        this._helpOption = this.createOption(
          flags ?? "-h, --help",
          description ?? "display help for command"
        );
        if (flags || description) this._initOptionGroup(this._helpOption);
        return this;
      }
      /**
       * Lazy create help option.
       * Returns null if has been disabled with .helpOption(false).
       *
       * @returns {(Option | null)} the help option
       * @package
       */
      _getHelpOption() {
        if (this._helpOption === void 0) {
          this.helpOption(void 0, void 0);
        }
        return this._helpOption;
      }
      /**
       * Supply your own option to use for the built-in help option.
       * This is an alternative to using helpOption() to customise the flags and description etc.
       *
       * @param {Option} option
       * @return {Command} `this` command for chaining
       */
      addHelpOption(option) {
        this._helpOption = option;
        this._initOptionGroup(option);
        return this;
      }
      /**
       * Output help information and exit.
       *
       * Outputs built-in help, and custom text added using `.addHelpText()`.
       *
       * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
       */
      help(contextOptions) {
        this.outputHelp(contextOptions);
        let exitCode = Number(process2.exitCode ?? 0);
        if (exitCode === 0 && contextOptions && typeof contextOptions !== "function" && contextOptions.error) {
          exitCode = 1;
        }
        this._exit(exitCode, "commander.help", "(outputHelp)");
      }
      /**
       * // Do a little typing to coordinate emit and listener for the help text events.
       * @typedef HelpTextEventContext
       * @type {object}
       * @property {boolean} error
       * @property {Command} command
       * @property {function} write
       */
      /**
       * Add additional text to be displayed with the built-in help.
       *
       * Position is 'before' or 'after' to affect just this command,
       * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
       *
       * @param {string} position - before or after built-in help
       * @param {(string | Function)} text - string to add, or a function returning a string
       * @return {Command} `this` command for chaining
       */
      addHelpText(position, text) {
        const allowedValues = ["beforeAll", "before", "after", "afterAll"];
        if (!allowedValues.includes(position)) {
          throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
        }
        const helpEvent = `${position}Help`;
        this.on(helpEvent, (context) => {
          let helpStr;
          if (typeof text === "function") {
            helpStr = text({ error: context.error, command: context.command });
          } else {
            helpStr = text;
          }
          if (helpStr) {
            context.write(`${helpStr}
`);
          }
        });
        return this;
      }
      /**
       * Output help information if help flags specified
       *
       * @param {Array} args - array of options to search for help flags
       * @private
       */
      _outputHelpIfRequested(args) {
        const helpOption = this._getHelpOption();
        const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
        if (helpRequested) {
          this.outputHelp();
          this._exit(0, "commander.helpDisplayed", "(outputHelp)");
        }
      }
    };
    function incrementNodeInspectorPort(args) {
      return args.map((arg) => {
        if (!arg.startsWith("--inspect")) {
          return arg;
        }
        let debugOption;
        let debugHost = "127.0.0.1";
        let debugPort = "9229";
        let match;
        if ((match = arg.match(/^(--inspect(-brk)?)$/)) !== null) {
          debugOption = match[1];
        } else if ((match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+)$/)) !== null) {
          debugOption = match[1];
          if (/^\d+$/.test(match[3])) {
            debugPort = match[3];
          } else {
            debugHost = match[3];
          }
        } else if ((match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+):(\d+)$/)) !== null) {
          debugOption = match[1];
          debugHost = match[3];
          debugPort = match[4];
        }
        if (debugOption && debugPort !== "0") {
          return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
        }
        return arg;
      });
    }
    function useColor() {
      if (process2.env.NO_COLOR || process2.env.FORCE_COLOR === "0" || process2.env.FORCE_COLOR === "false")
        return false;
      if (process2.env.FORCE_COLOR || process2.env.CLICOLOR_FORCE !== void 0)
        return true;
      return void 0;
    }
    exports.Command = Command2;
    exports.useColor = useColor;
  }
});

// node_modules/commander/index.js
var require_commander = __commonJS({
  "node_modules/commander/index.js"(exports) {
    var { Argument: Argument2 } = require_argument();
    var { Command: Command2 } = require_command();
    var { CommanderError: CommanderError2, InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var { Help: Help2 } = require_help();
    var { Option: Option2 } = require_option();
    exports.program = new Command2();
    exports.createCommand = (name) => new Command2(name);
    exports.createOption = (flags, description) => new Option2(flags, description);
    exports.createArgument = (name, description) => new Argument2(name, description);
    exports.Command = Command2;
    exports.Option = Option2;
    exports.Argument = Argument2;
    exports.Help = Help2;
    exports.CommanderError = CommanderError2;
    exports.InvalidArgumentError = InvalidArgumentError2;
    exports.InvalidOptionArgumentError = InvalidArgumentError2;
  }
});

// node_modules/picocolors/picocolors.js
var require_picocolors = __commonJS({
  "node_modules/picocolors/picocolors.js"(exports, module) {
    var p = process || {};
    var argv = p.argv || [];
    var env = p.env || {};
    var isColorSupported = !(!!env.NO_COLOR || argv.includes("--no-color")) && (!!env.FORCE_COLOR || argv.includes("--color") || p.platform === "win32" || (p.stdout || {}).isTTY && env.TERM !== "dumb" || !!env.CI);
    var formatter = (open, close, replace = open) => (input) => {
      let string2 = "" + input, index = string2.indexOf(close, open.length);
      return ~index ? open + replaceClose(string2, close, replace, index) + close : open + string2 + close;
    };
    var replaceClose = (string2, close, replace, index) => {
      let result = "", cursor = 0;
      do {
        result += string2.substring(cursor, index) + replace;
        cursor = index + close.length;
        index = string2.indexOf(close, cursor);
      } while (~index);
      return result + string2.substring(cursor);
    };
    var createColors = (enabled = isColorSupported) => {
      let f = enabled ? formatter : () => String;
      return {
        isColorSupported: enabled,
        reset: f("\x1B[0m", "\x1B[0m"),
        bold: f("\x1B[1m", "\x1B[22m", "\x1B[22m\x1B[1m"),
        dim: f("\x1B[2m", "\x1B[22m", "\x1B[22m\x1B[2m"),
        italic: f("\x1B[3m", "\x1B[23m"),
        underline: f("\x1B[4m", "\x1B[24m"),
        inverse: f("\x1B[7m", "\x1B[27m"),
        hidden: f("\x1B[8m", "\x1B[28m"),
        strikethrough: f("\x1B[9m", "\x1B[29m"),
        black: f("\x1B[30m", "\x1B[39m"),
        red: f("\x1B[31m", "\x1B[39m"),
        green: f("\x1B[32m", "\x1B[39m"),
        yellow: f("\x1B[33m", "\x1B[39m"),
        blue: f("\x1B[34m", "\x1B[39m"),
        magenta: f("\x1B[35m", "\x1B[39m"),
        cyan: f("\x1B[36m", "\x1B[39m"),
        white: f("\x1B[37m", "\x1B[39m"),
        gray: f("\x1B[90m", "\x1B[39m"),
        bgBlack: f("\x1B[40m", "\x1B[49m"),
        bgRed: f("\x1B[41m", "\x1B[49m"),
        bgGreen: f("\x1B[42m", "\x1B[49m"),
        bgYellow: f("\x1B[43m", "\x1B[49m"),
        bgBlue: f("\x1B[44m", "\x1B[49m"),
        bgMagenta: f("\x1B[45m", "\x1B[49m"),
        bgCyan: f("\x1B[46m", "\x1B[49m"),
        bgWhite: f("\x1B[47m", "\x1B[49m"),
        blackBright: f("\x1B[90m", "\x1B[39m"),
        redBright: f("\x1B[91m", "\x1B[39m"),
        greenBright: f("\x1B[92m", "\x1B[39m"),
        yellowBright: f("\x1B[93m", "\x1B[39m"),
        blueBright: f("\x1B[94m", "\x1B[39m"),
        magentaBright: f("\x1B[95m", "\x1B[39m"),
        cyanBright: f("\x1B[96m", "\x1B[39m"),
        whiteBright: f("\x1B[97m", "\x1B[39m"),
        bgBlackBright: f("\x1B[100m", "\x1B[49m"),
        bgRedBright: f("\x1B[101m", "\x1B[49m"),
        bgGreenBright: f("\x1B[102m", "\x1B[49m"),
        bgYellowBright: f("\x1B[103m", "\x1B[49m"),
        bgBlueBright: f("\x1B[104m", "\x1B[49m"),
        bgMagentaBright: f("\x1B[105m", "\x1B[49m"),
        bgCyanBright: f("\x1B[106m", "\x1B[49m"),
        bgWhiteBright: f("\x1B[107m", "\x1B[49m")
      };
    };
    module.exports = createColors();
    module.exports.createColors = createColors;
  }
});

// node_modules/commander/esm.mjs
var import_index = __toESM(require_commander(), 1);
var {
  program,
  createCommand,
  createArgument,
  createOption,
  CommanderError,
  InvalidArgumentError,
  InvalidOptionArgumentError,
  // deprecated old name
  Command,
  Argument,
  Option,
  Help
} = import_index.default;

// src/cli/common.ts
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

// src/cli/format-error.ts
var import_picocolors = __toESM(require_picocolors(), 1);
import { readFileSync } from "node:fs";
function formatPipelineError(error) {
  const where = error.where;
  const location = where ? [where.file, where.line, where.col].filter((p) => p !== void 0).join(":") + ": " : "";
  const lines = [`${import_picocolors.default.red("error")}: ${location}${error.message}`];
  const excerpt = where?.line ? sourceLine(where.file, where.line) : void 0;
  if (excerpt !== void 0) {
    const gutter = `${where.line} | `;
    lines.push(`  ${import_picocolors.default.dim(gutter)}${excerpt}`);
    lines.push(`  ${" ".repeat(gutter.length + Math.max(0, (where.col ?? 1) - 1))}${import_picocolors.default.red("^")}`);
  }
  if (error.hint) lines.push(`  ${import_picocolors.default.cyan("hint")}: ${error.hint}`);
  return lines.join("\n");
}
function sourceLine(file, line) {
  try {
    return readFileSync(file, "utf8").split("\n")[line - 1]?.replace(/\t/g, " ");
  } catch {
    return void 0;
  }
}

// src/cli/common.ts
var ExitCode = {
  ok: 0,
  stageFailed: 1,
  usage: 2,
  cancelled: 130
};
function addProjectOption(command) {
  return command.option("-C, --cwd <dir>", "run as if started in DIR (the project folder)", ".");
}
function enterProject(dir) {
  const root = resolve(dir);
  try {
    process.chdir(root);
  } catch {
    throw new InvalidArgumentError(`-C ${dir}: no such folder`);
  }
  return root;
}
function positiveInt(value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}
function collect(value, previous) {
  return [...previous, value];
}
async function runCommand(body) {
  let code;
  try {
    code = await body();
  } catch (err) {
    if (isPipelineError(err)) {
      process.stderr.write(formatPipelineError(err) + "\n");
      code = ExitCode.usage;
    } else if (err instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${err.message}
`);
      code = ExitCode.usage;
    } else {
      throw err;
    }
  }
  process.exitCode = code;
}
async function openRunStore(dir) {
  const store = await openRunStoreIfAny(dir);
  if (!store) throw new PipelineError("unknown-run", "no runs are recorded in this project yet", void 0, "`pipewright run` records one");
  return store;
}
async function openRunStoreIfAny(dir) {
  const paths = layout(dirname(findPipelineFile(enterProject(dir))));
  if (!existsSync(paths.runsDb) && !existsSync(paths.runsJournal)) return void 0;
  const { RunStore } = await import("./run-store-VHZPZ5OJ.js");
  return new RunStore(paths.runsDb);
}
function printJson(value) {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

// src/report/dag-formats.ts
var DAG_FORMATS = ["ascii", "mermaid", "dot", "json"];

// src/cli/dag.ts
function dagCommandDefinition() {
  return addProjectOption(new Command("dag")).description("draw the pipeline graph").argument("[stage...]", "draw only these stages and their upstream").addOption(new Option("-f, --format <format>", "output format").choices(DAG_FORMATS).default("ascii")).option("--downstream", "also draw what depends on the named stages").option("--instances", "draw every instance of a sweep, not one node for the sweep").action((stages, flags) => runCommand(async () => {
    const [{ selectStages }, { drawDag }, { openProject }] = await Promise.all([
      import("./select-GAJG7QLP.js"),
      import("./dag-UXEVNCX4.js"),
      import("./project-QPXB63KP.js")
    ]);
    const project = await openProject(enterProject(flags.cwd));
    const selected = selectStages(project.graph, { targets: stages, downstream: flags.downstream === true });
    process.stdout.write(drawDag(project.graph, selected, flags.format, { instances: flags.instances === true }));
    return ExitCode.ok;
  }));
}

// src/cli/exec.ts
function execCommandDefinition() {
  return addProjectOption(new Command("exec")).description("run one stage here and now, without its upstream (what cluster tasks run)").argument("<stage>", "the stage to run (for a sweep, one instance: train@lr=0.1,depth=4)").option("-S, --set <stage.param=value>", "override a param (repeatable)", collect, []).action((stage, flags) => runCommand(async () => {
    const [{ execInstance }, { selectStages }, { openProject }, { addressOf }, { PipelineError: PipelineError2 }, { collectedFromLock }] = await Promise.all([
      import("./exec-instance-ATEWFMZ4.js"),
      import("./select-GAJG7QLP.js"),
      import("./project-QPXB63KP.js"),
      import("./executor-OFGA253R.js"),
      import("./errors-QA3QSKWQ.js"),
      import("./collected-YNNIO6JT.js")
    ]);
    const { graph } = await openProject(enterProject(flags.cwd), flags.set);
    selectStages(graph, { targets: [stage] });
    const instances = graph.sweeps.get(stage);
    if (instances && !graph.nodes.has(stage)) {
      throw new PipelineError2(
        "usage",
        `"${stage}" is a sweep of ${instances.length} instances: exec runs one`,
        void 0,
        `name one, for example: pipewright exec '${instances[0]}'`
      );
    }
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort(new Error("interrupted")));
    try {
      const result = await execInstance(
        // A collecting stage gets the instances the lockfile knows, as a run would hand them over.
        addressOf(graph.declaration.file, graph.nodes.get(stage), collectedFromLock(graph, graph.nodes.get(stage), (m) => process.stderr.write(`warning: ${m}
`))),
        { output: (stream, text) => process[stream].write(text), signal: controller.signal }
      );
      if (result.metrics) process.stdout.write(JSON.stringify(result.metrics) + "\n");
      return ExitCode.ok;
    } catch (err) {
      if (controller.signal.aborted) return ExitCode.cancelled;
      process.stderr.write(`error: stage "${stage}" failed: ${err.message}
`);
      return ExitCode.stageFailed;
    }
  }));
}

// src/cli/list.ts
var import_picocolors2 = __toESM(require_picocolors(), 1);
function listCommandDefinition() {
  return addProjectOption(new Command("list")).description("list the stages of the pipeline").option("--json", "one JSON object per stage: name, kind, deps, outs, upstream").action((flags) => runCommand(async () => {
    const [{ writtenPaths }, { openProject }] = await Promise.all([import("./resolve-JVCAXB27.js"), import("./project-QPXB63KP.js")]);
    const { graph } = await openProject(enterProject(flags.cwd));
    const listings = graph.order.map((name) => {
      const node = graph.nodes.get(name);
      const collected = Object.values(node.collects);
      const declaredDeps = node.deps.slice(0, node.deps.length - (node.collectedDeps ?? 0));
      return {
        name,
        kind: node.kind,
        ...node.of !== name ? { of: node.of } : {},
        deps: [...declaredDeps.map((d) => d.path), ...Object.values(node.inputs).map((i) => i.path)],
        outs: writtenPaths(node).map((o) => o.path),
        upstream: node.upstream,
        ...collected.length ? { collects: Object.fromEntries(collected.map((of) => [of, graph.sweeps.get(of)?.length ?? 1])) } : {}
      };
    });
    if (flags.json) {
      process.stdout.write(JSON.stringify(listings, null, 2) + "\n");
    } else {
      for (const s of listings) {
        const upstream = s.collects ? [
          ...s.upstream.filter((u) => !Object.keys(s.collects).includes(graph.nodes.get(u).of)),
          ...Object.entries(s.collects).map(([of, n]) => `${of} (all ${n})`)
        ] : s.upstream;
        process.stdout.write(`${import_picocolors2.default.bold(s.name)} ${import_picocolors2.default.dim(`(${s.kind})`)}${upstream.length ? `  \u2190 ${upstream.join(", ")}` : ""}
`);
        if (s.deps.length) process.stdout.write(`  deps: ${s.deps.join(", ")}
`);
        if (s.outs.length) process.stdout.write(`  outs: ${s.outs.join(", ")}
`);
      }
    }
    return ExitCode.ok;
  }));
}

// src/cli/gc.ts
function gcCommandDefinition() {
  return addProjectOption(new Command("gc")).description("remove cache objects that no out in pipewright.lock refers to").option("--keep-run-cache", "also keep the objects of every run in the run-cache (so old params still restore at once)").option("-n, --dry-run", "only report what would be removed").action((flags) => runCommand(async () => {
    const [{ collectGarbage }, { StageCache }, { acquireWorkspaceLock }, { openProject }] = await Promise.all([
      import("./gc-WXZY4EA6.js"),
      import("./stage-cache-OKIOMIZA.js"),
      import("./workspace-lock-TLZ3U7DK.js"),
      import("./project-QPXB63KP.js")
    ]);
    const project = await openProject(enterProject(flags.cwd));
    const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, "pipewright gc", (m) => process.stderr.write(`warning: ${m}
`));
    const cache = new StageCache(project.declaration, { warn: (m) => process.stderr.write(`warning: ${m}
`) });
    try {
      const report = await collectGarbage(cache, { keepRunCache: flags.keepRunCache === true, dryRun: flags.dryRun === true });
      const verb = flags.dryRun ? "would remove" : "removed";
      process.stdout.write(`${verb} ${report.removedObjects} objects (${bytes(report.removedBytes)}), kept ${report.keptObjects} (${bytes(report.keptBytes)})
`);
      if (report.removedRunCacheEntries) process.stdout.write(`${verb} ${report.removedRunCacheEntries} run-cache entries whose outs are gone
`);
      return ExitCode.ok;
    } finally {
      cache.close();
      lock.release();
    }
  }));
}
function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

// src/cli/run.ts
import { availableParallelism as availableParallelism2 } from "node:os";

// src/run/run-pipeline.ts
import { availableParallelism } from "node:os";

// src/run/no-op.ts
import { dirname as dirname2, resolve as resolve2 } from "node:path";
function journaledRecording(root, info, certificate) {
  return { recorder: new RunRecorder({ journal: layout(root).runsJournal, instancesFrom: keepCertificate(certificate) }, info, root) };
}
async function answerNoOp(dir, jobs, onEvent, openRecorder) {
  const file = findPipelineFile(resolve2(dir));
  const known = checkUpToDate(dirname2(file), file);
  if (!known) return void 0;
  const recording = await openRecorder(dirname2(file), known.certificate);
  try {
    return reportUpToDate(known.stages, jobs, recording ? tee(onEvent, recording.recorder.onEvent) : onEvent);
  } finally {
    await recording?.recorder.close();
    recording?.store?.close();
  }
}
function reportUpToDate(stages, jobs, onEvent) {
  const started = Date.now();
  onEvent({ type: "run-started", stages: stages.map((s) => s.name), jobs, failMode: "keep-going" });
  for (const { name, of, params } of stages) onEvent({ type: "queued", stage: name, of, params });
  for (const { name, metrics, outs, fingerprint } of stages) onEvent({ type: "up-to-date", stage: name, metrics, outs, fingerprint });
  const summary = { succeeded: [], upToDate: stages.map((s) => s.name), restored: [], failed: [], skipped: [], cancelled: false };
  onEvent({ type: "run-finished", summary, durationMs: Date.now() - started });
  return summary;
}
function tee(...listeners) {
  return (event) => {
    for (const listener of listeners) listener(event);
  };
}

// src/run/run-pipeline.ts
var runOptionsSchema = object({
  /** The project folder. */
  dir: _default(string(), "."),
  /** Stages to run with their upstream; empty runs everything. */
  targets: _default(array(string()), []),
  /** Also run what depends on the targets. */
  downstream: _default(boolean(), false),
  /** Stages run at once; default the number of cores. */
  jobs: _default(int().check(_positive()), () => availableParallelism()),
  /** `keep-going`: independent branches go on after a failure; `fail-fast`: stop at the first. */
  failMode: _default(_enum(["keep-going", "fail-fast"]), "keep-going"),
  /** `-S stage.param=value` specs. */
  overrides: _default(array(string()), []),
  /** Run the selected stages even when they are up to date. */
  force: _default(boolean(), false),
  /** How cached outs are put into the workspace: the first kind that works. */
  links: _default(array(_enum(LINK_KINDS)).check(_minLength(1)), ["reflink", "hardlink", "copy"]),
  /** Emit every line stages print as `log` events (the CLI's `-v`); off, logs go straight to files. */
  streamOutput: _default(boolean(), true),
  /** How the run is named in the workspace lock's message to a second run. */
  command: _default(string(), "pipewright run"),
  /** Record the run in the run store (`.pipewright/runs.db`). */
  record: _default(boolean(), true),
  /** The run's name in the store; a readable one is made up when absent. */
  name: optional(string().check(_minLength(1))),
  /** A named set of overrides from the pipeline file's `versions`, applied before `overrides`. */
  version: optional(string()),
  /** The command line, as recorded in the store. */
  argv: _default(array(string()), []),
  /**
   * Dev mode: run in a scratch copy of the project with the pipeline's `dev` overrides, stop at
   * the first failure, and record nothing (no lockfile, cache or store).
   */
  dev: _default(boolean(), false)
});
async function runPipeline(options = {}) {
  const filled = runOptionsSchema.parse(options);
  const onEvent = options.onEvent ?? (() => {
  });
  const warn = (message) => onEvent({ type: "warning", message });
  if (filled.dev) {
    const { runDev } = await import("./dev-mode-6HFZ3FUV.js");
    return runDev(filled, onEvent, options.signal);
  }
  const plain = filled.targets.length === 0 && filled.overrides.length === 0 && !filled.force && filled.version === void 0;
  const openRecorder = async (root, certificate) => {
    if (!filled.record) return void 0;
    const info = { name: filled.name, argv: filled.argv, version: filled.version };
    if (certificate && filled.name === void 0 && !options.recordNow) return journaledRecording(root, info, certificate);
    const [{ RunRecorder: RunRecorder2 }, { RunStore }] = await Promise.all([import("./recorder-RGKXKKGJ.js"), import("./run-store-VHZPZ5OJ.js")]);
    const store = new RunStore(layout(root).runsDb);
    try {
      const recorder = new RunRecorder2({ store }, info, root);
      options.onRecord?.({ id: recorder.runId, name: recorder.runName });
      return { store, recorder };
    } catch (err) {
      store.close();
      throw err;
    }
  };
  if (plain) {
    const answer = await answerNoOp(filled.dir, filled.jobs, onEvent, openRecorder);
    if (answer) return answer;
  }
  const [{ openProject }, { selectStages }, { acquireWorkspaceLock }, { forgetUpToDate, recordUpToDate }, { createExecutorSet }, { StageCache }, { runStages }] = await Promise.all([
    import("./project-QPXB63KP.js"),
    import("./select-GAJG7QLP.js"),
    import("./workspace-lock-TLZ3U7DK.js"),
    import("./up-to-date-33OAIOD5.js"),
    import("./executor-set-ES5BQGIO.js"),
    import("./stage-cache-OKIOMIZA.js"),
    import("./scheduler-FBOIAARK.js")
  ]);
  const project = await openProject(filled.dir, filled.overrides, filled.version === void 0 ? [] : [filled.version]);
  const stages = selectStages(project.graph, { targets: filled.targets, downstream: filled.downstream });
  const paths = layout(project.root);
  const lock = acquireWorkspaceLock(paths.workspaceLock, filled.command, warn);
  forgetUpToDate(project.root);
  const executors = createExecutorSet(filled.jobs);
  let cache;
  const seen = /* @__PURE__ */ new Map();
  let recording;
  try {
    recording = await openRecorder(project.root);
    const report = recording ? tee(onEvent, recording.recorder.onEvent) : onEvent;
    cache = new StageCache(project.declaration, { links: filled.links, warn });
    const summary = await runStages({
      graph: project.graph,
      stages,
      jobs: filled.jobs,
      failMode: filled.failMode,
      executorFor: (kind) => executors.get(kind),
      logDir: paths.logs,
      onEvent: (event) => {
        if (event.type === "up-to-date") seen.set(event.stage, { metrics: event.metrics, outs: event.outs, fingerprint: event.fingerprint });
        report(event);
      },
      signal: options.signal,
      cache,
      force: () => filled.force,
      streamOutput: filled.streamOutput
    });
    cache.close();
    cache = void 0;
    if (plain && summary.upToDate.length === project.graph.order.length) recordUpToDate(project.graph, seen);
    return summary;
  } finally {
    await recording?.recorder.close();
    recording?.store?.close();
    cache?.close();
    await executors.close();
    lock.release();
  }
}

// src/cli/progress.ts
var import_picocolors3 = __toESM(require_picocolors(), 1);
import { readFileSync as readFileSync2 } from "node:fs";
import { relative } from "node:path";
var FAILURE_TAIL_LINES = 20;
var METRICS_SHOWN = 20;
var SPINNER = ["\u280B", "\u2819", "\u2839", "\u2838", "\u283C", "\u2834", "\u2826", "\u2827", "\u2807", "\u280F"];
var ProgressReporter = class _ProgressReporter {
  constructor(options, live) {
    this.options = options;
    this.live = live;
  }
  options;
  running = /* @__PURE__ */ new Map();
  metrics = /* @__PURE__ */ new Map();
  total = 0;
  known = /* @__PURE__ */ new Set();
  finished = 0;
  frame = 0;
  timer;
  live;
  pending = [];
  flushing;
  /** log-update (and its dozen modules) is loaded only for a terminal: a piped or no-op run never pays for it. */
  static async create(options) {
    const live = options.tty ? (await import("./log-update-HOTH5BEL.js")).createLogUpdate(options.out) : void 0;
    return new _ProgressReporter(options, live);
  }
  onEvent = (event) => {
    switch (event.type) {
      case "run-started":
        this.total = event.stages.length;
        for (const stage of event.stages) this.known.add(stage);
        this.print(import_picocolors3.default.bold(`Running ${event.stages.length} stage${event.stages.length === 1 ? "" : "s"} (jobs: ${event.jobs})`));
        if (this.live) this.timer = setInterval(() => this.render(), 100).unref();
        break;
      case "queued":
        if (!this.known.has(event.stage)) {
          this.known.add(event.stage);
          this.total++;
        }
        break;
      case "started":
        this.running.set(event.stage, Date.now());
        if (!this.live) this.print(`${import_picocolors3.default.cyan("\u25B6")} ${event.stage}${because(event.reasons)}`);
        break;
      case "up-to-date":
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors3.default.dim("=")} ${event.stage} ${import_picocolors3.default.dim("up to date")}`);
        break;
      case "restored":
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors3.default.blue("\u21BA")} ${event.stage} ${import_picocolors3.default.dim(`restored from ${event.from === "lock" ? "the cache" : "the run-cache"}`)}${because(event.reasons)}`);
        break;
      case "warning":
        this.print(`${import_picocolors3.default.yellow("warning")}: ${event.message}`);
        break;
      case "log":
        if (this.options.verbose) this.print(`${import_picocolors3.default.dim(`[${event.stage}]`)} ${event.stream === "stderr" ? import_picocolors3.default.yellow(event.line) : event.line}`);
        break;
      case "succeeded":
        this.running.delete(event.stage);
        this.finished++;
        if (event.metrics) this.metrics.set(event.stage, event.metrics);
        this.print(`${import_picocolors3.default.green("\u2713")} ${event.stage}${this.live ? import_picocolors3.default.dim(` ${seconds(event.durationMs)}`) : ""}`);
        break;
      case "failed": {
        this.running.delete(event.stage);
        this.finished++;
        const lines = [`${import_picocolors3.default.red("\u2717")} ${event.stage} ${import_picocolors3.default.red("failed")}: ${event.error.message}`];
        if (this.options.stacks && event.error.stack) lines.push(...readableStack(event.error.stack).split("\n").slice(1).map((line) => `  ${import_picocolors3.default.dim(line.trim())}`));
        if (!this.options.verbose) lines.push(...this.logTail(event.logPath));
        this.print(lines.join("\n"));
        break;
      }
      case "skipped":
        this.running.delete(event.stage);
        this.finished++;
        this.print(`${import_picocolors3.default.yellow("-")} ${event.stage} ${import_picocolors3.default.dim(event.reason === "upstream-failed" ? `skipped: upstream stage ${event.because} failed` : event.because ? `not run: stopped after ${event.because} failed (--fail-fast)` : "cancelled")}`);
        break;
      case "run-finished":
        if (this.timer) clearInterval(this.timer);
        this.live?.clear();
        this.live?.done();
        this.printSummary(event.summary);
        break;
    }
  };
  print(text) {
    if (!this.live) {
      this.pending.push(text);
      this.flushing ??= setImmediate(() => this.flush());
      return;
    }
    this.live.clear();
    this.options.out.write(text + "\n");
    this.render();
  }
  flush() {
    this.flushing = void 0;
    if (this.pending.length) this.options.out.write(this.pending.join("\n") + "\n");
    this.pending = [];
  }
  render() {
    if (!this.live || this.running.size === 0) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const now = Date.now();
    const lines = [...this.running].map(([stage, since]) => `${import_picocolors3.default.cyan(SPINNER[this.frame])} ${stage} ${import_picocolors3.default.dim(seconds(now - since))}`);
    lines.push(import_picocolors3.default.dim(`${this.finished}/${this.total} done`));
    this.live(lines.join("\n"));
  }
  logTail(logPath) {
    let text = "";
    try {
      text = readFileSync2(logPath, "utf8");
    } catch {
      return [];
    }
    const lines = text.replace(/\n$/, "").split("\n");
    if (text.trim() === "") return [import_picocolors3.default.dim(`  (no output; log: ${relative(this.options.root, logPath)})`)];
    const tail = lines.slice(-FAILURE_TAIL_LINES);
    return [
      import_picocolors3.default.dim(`  log: ${relative(this.options.root, logPath)}${lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ""}`),
      ...tail.map((line) => `  ${import_picocolors3.default.dim("|")} ${line}`)
    ];
  }
  printSummary(summary) {
    if (this.flushing) clearImmediate(this.flushing);
    this.flush();
    const out = this.options.out;
    if (this.metrics.size) {
      out.write(`
${import_picocolors3.default.bold("Metrics")}
`);
      const shown = [...this.metrics].slice(0, METRICS_SHOWN);
      for (const [stage, metrics] of shown) out.write(`  ${stage}: ${formatMetrics(metrics)}
`);
      if (this.metrics.size > shown.length) out.write(import_picocolors3.default.dim(`  \u2026 and ${this.metrics.size - shown.length} more (pipewright runs, pipewright show)
`));
    }
    const parts = [`${summary.succeeded.length} ran`];
    if (summary.upToDate.length) parts.push(`${summary.upToDate.length} up to date`);
    if (summary.restored.length) parts.push(`${summary.restored.length} restored`);
    if (summary.failed.length) parts.push(import_picocolors3.default.red(`${summary.failed.length} failed`));
    if (summary.skipped.length) parts.push(import_picocolors3.default.yellow(`${summary.skipped.length} skipped`));
    out.write(`
${summary.cancelled ? import_picocolors3.default.yellow("Cancelled. ") : ""}${parts.join(", ")}
`);
  }
};
function because(reasons) {
  return reasons.length ? import_picocolors3.default.dim(` (${reasons.join("; ")})`) : "";
}
function formatMetrics(metrics, prefix = "") {
  return Object.entries(metrics).map(([key, value]) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return formatMetrics(value, `${prefix}${key}.`);
    return `${prefix}${key}=${typeof value === "number" ? formatNumber(value) : JSON.stringify(value)}`;
  }).join(" ");
}
function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
function seconds(ms) {
  return ms < 1e4 ? `${(ms / 1e3).toFixed(1)}s` : `${Math.round(ms / 1e3)}s`;
}
function readableStack(stack) {
  return stack.replace(/data:text\/javascript,[^\s]*?\?filePath=([^\s:)]+)/g, (_, path) => decodeURIComponent(path).replace(/\?namespace=.*$/, ""));
}

// src/cli/run.ts
function runCommandDefinition() {
  return addProjectOption(new Command("run")).description("run the pipeline, or the named stages and what they need").argument("[stage...]", "stages to run (with their upstream); all when none").option("-j, --jobs <n>", "stages run at once", positiveInt, availableParallelism2()).option("-S, --set <stage.param=value>", "override a param (repeatable)", collect, []).option("--downstream", "also run the stages that depend on the named ones").option("-f, --force", "run the selected stages even if they are up to date").addOption(new Option("--link <kinds>", "how cached outs are put in the workspace, first that works (comma-separated)").default("reflink,hardlink,copy").env("PIPEWRIGHT_LINK")).addOption(new Option("--keep-going", "after a failure, go on with independent stages (default)").conflicts("failFast")).addOption(new Option("--fail-fast", "stop everything at the first failure").conflicts("keepGoing")).option("-v, --verbose", "stream the stages' output").option("-n, --name <name>", "name the run in the run store (default: a made-up one)").option("--version <name>", "apply a named set of overrides from the pipeline file's versions").option("--dev", "dev mode: a scratch copy, the pipeline's dev overrides, stop at the first error with its stack, record nothing").addHelpText("after", `
Exit codes: 0 all done, 1 a stage failed, 2 bad usage or pipeline, 130 cancelled.
Each stage's output is kept in .pipewright/logs/<stage>.log.

Examples:
  pipewright run                     run everything
  pipewright run train -j 2          run train and its upstream, two stages at once
  pipewright run -S train.lr=0.05    override a param for this run
  pipewright run --version small     run with the overrides of version "small"
  pipewright run --dev               try a change quickly, leaving no trace`).action((stages, flags) => runCommand(async () => {
    const root = enterProject(flags.cwd);
    const controller = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      if (++interrupts > 1) process.exit(ExitCode.cancelled);
      process.stderr.write("\nCancelling: stopping running stages (Ctrl-C again to quit at once)\n");
      controller.abort(new Error("interrupted"));
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigint);
    const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose === true, root, stacks: flags.dev === true });
    try {
      const summary = await runPipeline({
        dir: root,
        targets: stages,
        downstream: flags.downstream === true,
        jobs: flags.jobs,
        failMode: flags.failFast ? "fail-fast" : "keep-going",
        overrides: flags.set,
        force: flags.force === true,
        streamOutput: flags.verbose === true,
        links: parseLinks(flags.link),
        command: ["pipewright", ...process.argv.slice(2)].join(" "),
        argv: process.argv.slice(2),
        name: flags.name,
        version: flags.version,
        dev: flags.dev === true,
        signal: controller.signal,
        onEvent: reporter.onEvent
      });
      if (summary.cancelled) return ExitCode.cancelled;
      return summary.failed.length ? ExitCode.stageFailed : ExitCode.ok;
    } finally {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
    }
  }));
}
function parseLinks(text) {
  const kinds = text.split(",").map((k) => k.trim()).filter(Boolean);
  const bad = kinds.find((k) => !LINK_KINDS.includes(k));
  if (bad || kinds.length === 0) throw new InvalidArgumentError(`--link: "${bad ?? text}" is not one of ${LINK_KINDS.join(", ")}`);
  return kinds;
}

// src/cli/status.ts
var import_picocolors4 = __toESM(require_picocolors(), 1);
var LABEL = {
  "up-to-date": import_picocolors4.default.green("up to date"),
  "will-run": import_picocolors4.default.yellow("will run"),
  "will-restore": import_picocolors4.default.blue("will restore"),
  frozen: import_picocolors4.default.dim("frozen"),
  error: import_picocolors4.default.red("error")
};
function statusCommandDefinition() {
  return addProjectOption(new Command("status")).description("show which stages are up to date, will run or will be restored from the cache, and why").argument("[stage...]", "only these stages and their upstream").option("-S, --set <stage.param=value>", "as if run with this param override (repeatable)", collect, []).option("--json", "one object per stage: stage, state, reasons").action((stages, flags) => runCommand(async () => {
    const [{ StageCache }, { pipelineStatus }, { selectStages }, { openProject }] = await Promise.all([
      import("./stage-cache-OKIOMIZA.js"),
      import("./status-HG6Y6P4H.js"),
      import("./select-GAJG7QLP.js"),
      import("./project-QPXB63KP.js")
    ]);
    const project = await openProject(enterProject(flags.cwd), flags.set);
    const selected = selectStages(project.graph, { targets: stages });
    const warnings = [];
    const cache = new StageCache(project.declaration, { warn: (m) => warnings.push(m) });
    try {
      const status = await pipelineStatus(project.graph, selected, cache);
      for (const w of warnings) process.stderr.write(`${import_picocolors4.default.yellow("warning")}: ${w}
`);
      if (flags.json) {
        process.stdout.write(JSON.stringify(status, null, 2) + "\n");
        return ExitCode.ok;
      }
      const width = Math.max(...status.map((s) => s.stage.length));
      for (const s of status) {
        const why = s.message ?? s.reasons.map((r) => r.text).join("; ");
        process.stdout.write(`${s.stage.padEnd(width)}  ${LABEL[s.state]}${why ? import_picocolors4.default.dim(`: ${why}`) : ""}
`);
      }
      if (status.every((s) => s.state === "up-to-date" || s.state === "frozen")) process.stdout.write(import_picocolors4.default.green("\nEverything is up to date.\n"));
      return ExitCode.ok;
    } finally {
      cache.close();
    }
  }));
}

// src/cli/runs.ts
var import_picocolors6 = __toESM(require_picocolors(), 1);

// src/report/table.ts
var import_picocolors5 = __toESM(require_picocolors(), 1);
function formatCell(value) {
  if (value === void 0 || value === null) return "-";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)));
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
function formatTable(headers, rows) {
  const text = rows.map((row) => row.map(formatCell));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i]?.length ?? 0)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => r[i] === void 0 || r[i] === null || typeof r[i] === "number"));
  const line = (cells) => cells.map((c, i) => numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])).join("  ").trimEnd();
  return [import_picocolors5.default.bold(line(headers)), ...text.map(line)].join("\n") + "\n";
}
function formatDuration(ms) {
  if (ms === void 0) return "-";
  if (ms < 6e4) return `${(ms / 1e3).toFixed(1)}s`;
  const s = Math.round(ms / 1e3);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}
function formatTime(epochMs) {
  const d = new Date(epochMs);
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

// src/cli/runs.ts
function runsCommandDefinition() {
  const rm = addProjectOption(new Command("rm")).description("remove runs from the store (their cached outs stay until `pipewright gc`)").argument("<run...>", "runs by id, #id, name, or last~N (N runs before the last)").action((refs, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    try {
      const runs = refs.map((ref) => store.resolve(ref));
      store.removeRuns(runs.map((r) => r.id));
      for (const run of runs) process.stdout.write(`removed #${run.id} ${run.name}
`);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
  return addProjectOption(new Command("runs")).description("list recorded runs: the params that differ between them, and their metrics (newest first)").option("-n, --limit <n>", "show at most this many runs", positiveInt).option("--json", "one object per run").addCommand(rm).addHelpText("after", `
A run is named by its id (12 or #12), its name, last (the newest) or last~N (the Nth before it).

Examples:
  pipewright runs                 every run, newest first
  pipewright runs -n 5 --json     the last five, as JSON
  pipewright runs rm last         forget the newest run`).action((flags) => runCommand(async () => {
    const store = await openRunStoreIfAny(flags.cwd);
    if (!store) {
      if (flags.json) printJson([]);
      else process.stdout.write("No runs recorded yet: `pipewright run` records one.\n");
      return ExitCode.ok;
    }
    try {
      const { runRows } = await import("./runs-X2M7GVMW.js");
      const rows = runRows(store, store.runs(flags.limit));
      if (flags.json) {
        printJson(rows);
        return ExitCode.ok;
      }
      if (rows.length === 0) {
        process.stdout.write("No runs recorded.\n");
        return ExitCode.ok;
      }
      const paramKeys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))];
      const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
      const sweepStages = [...new Set(rows.flatMap((r) => r.sweeps.map((w) => w.stage)))];
      const headers = ["run", "name", "status", "started", "took", "instances", "git", ...paramKeys, ...metricKeys, ...sweepStages.map((s) => `${s} (sweep)`)];
      const table = rows.map((r) => [
        `#${r.id}`,
        r.name,
        r.status,
        formatTime(r.startedAt),
        formatDuration(r.durationMs),
        instanceSummary(r.counts),
        r.gitCommit ? `${r.gitCommit.slice(0, 7)}${r.gitDirty ? "*" : ""}` : "-",
        ...paramKeys.map((k) => r.params[k]),
        ...metricKeys.map((k) => r.metrics[k]),
        ...sweepStages.map((stage) => sweepCell(r.sweeps.find((w) => w.stage === stage)))
      ]);
      process.stdout.write(formatTable(headers, table));
      if (paramKeys.length) process.stdout.write(import_picocolors6.default.dim(`params shown: those that differ between these runs
`));
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
}
function instanceSummary(counts) {
  if (!counts) return "-";
  const parts = [["ran", counts.ran], ["up to date", counts.skipped], ["restored", counts.restored], ["failed", counts.failed], ["not run", counts.notRun]].filter(([, n]) => n);
  return parts.map(([label, n]) => `${n} ${label}`).join(", ") || "0";
}
function sweepCell(sweep) {
  if (!sweep) return "-";
  if (sweep.metric === void 0 || sweep.min === void 0 || sweep.max === void 0) return String(sweep.count);
  return `${sweep.count}: ${sweep.metric} ${formatCell(sweep.min)}\u2013${formatCell(sweep.max)}`;
}

// src/cli/show.ts
function showCommandDefinition() {
  return addProjectOption(new Command("show")).description("show one run: its command, git revision, host and every instance (params, status, duration, metrics)").argument("[run]", "id, #id, name, or last~N (default: last)", "last").option("--json", "the run and its instances as JSON").action((ref, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    try {
      const run = store.resolve(ref);
      const instances = store.instances(run.id);
      if (flags.json) {
        printJson({ ...run, instances });
        return ExitCode.ok;
      }
      const out = process.stdout;
      out.write(`run #${run.id} ${run.name}: ${run.status}
`);
      out.write(`  started   ${formatTime(run.startedAt)}${run.endedAt ? `, took ${formatDuration(run.endedAt - run.startedAt)}` : ""}
`);
      out.write(`  command   pipewright ${run.argv.join(" ")}
`);
      if (run.version) out.write(`  version   ${run.version}
`);
      out.write(`  git       ${run.gitCommit ? `${run.gitCommit}${run.gitDirty ? " (with uncommitted changes)" : ""}` : "-"}
`);
      out.write(`  host      ${run.host}
`);
      out.write(`  instances ${instanceSummary(run.counts)}

`);
      const params = instances.map((i) => new Map(flattenParams(i.params)));
      const metrics = instances.map((i) => new Map(flattenParams(i.metrics ?? {})));
      const paramKeys = [...new Set(params.flatMap((p) => [...p.keys()]))];
      const varying = paramKeys.filter((k) => instances.length < 2 || new Set(params.map((p) => JSON.stringify(p.get(k)))).size > 1);
      const metricKeys = [...new Set(metrics.flatMap((m) => [...m.keys()]))];
      out.write(formatTable(["instance", "status", "took", ...varying, ...metricKeys], instances.map((i, n) => [i.name, i.status, formatDuration(i.durationMs), ...varying.map((k) => params[n].get(k)), ...metricKeys.map((k) => metrics[n].get(k))])));
      for (const failed of instances.filter((i) => i.status === "failed")) out.write(`
${failed.name}: ${failed.error ?? "failed"}${failed.logPath ? `
  log: ${failed.logPath}` : ""}
`);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
}

// src/cli/diff.ts
var import_picocolors7 = __toESM(require_picocolors(), 1);
function diffCommandDefinition() {
  return runDiffCommand("diff", "compare two runs: params and metrics that changed, with deltas (default: the last run against the one before)", "both");
}
function runDiffCommand(name, description, what) {
  return addProjectOption(new Command(name)).description(description).argument("[a]", "the older run (default last~1)", "last~1").argument("[b]", "the newer run (default last)", "last").option("--all", "also list metrics that did not change").option("--json", "the changes as JSON").action((a, b, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    try {
      const { diffRuns } = await import("./runs-X2M7GVMW.js");
      const diff = diffRuns(store, store.resolve(a), store.resolve(b), { all: flags.all === true });
      if (flags.json) printJson(what === "both" ? diff : { a: diff.a, b: diff.b, metrics: diff.metrics });
      else printDiff(diff, what);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
}
function printDiff(diff, what) {
  const out = process.stdout;
  out.write(import_picocolors7.default.dim(`#${diff.a.id} ${diff.a.name} \u2192 #${diff.b.id} ${diff.b.name}
`));
  const table = (title, changes) => {
    if (changes.length === 0) {
      out.write(`
${title}: no changes
`);
      return;
    }
    out.write(`
${import_picocolors7.default.bold(title)}
`);
    out.write(formatTable(
      ["instance", "key", `#${diff.a.id}`, `#${diff.b.id}`, "change"],
      changes.map((c) => [c.instance, c.key, c.a, c.b, c.delta === void 0 ? "" : signed(c.delta)])
    ));
  };
  if (what === "both") table("Params", diff.params);
  table("Metrics", diff.metrics);
  if (diff.added.length) out.write(`
only in #${diff.b.id}: ${diff.added.join(", ")}
`);
  if (diff.removed.length) out.write(`
only in #${diff.a.id}: ${diff.removed.join(", ")}
`);
}
function signed(delta) {
  return delta > 0 ? `+${formatCell(delta)}` : formatCell(delta);
}

// src/cli/metrics.ts
function metricsCommandDefinition() {
  const show = addProjectOption(new Command("show")).description("a run's metrics, per instance").argument("[run]", "id, #id, name, or last~N (default: last)", "last").option("--json", "instance \u2192 metrics, as JSON").action((ref, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    try {
      const run = store.resolve(ref);
      const instances = store.instances(run.id).filter((i) => i.metrics && Object.keys(i.metrics).length);
      if (flags.json) {
        printJson(Object.fromEntries(instances.map((i) => [i.name, i.metrics])));
        return ExitCode.ok;
      }
      if (instances.length === 0) process.stdout.write(`run #${run.id} ${run.name} has no metrics
`);
      else process.stdout.write(formatTable(["instance", "metric", "value"], instances.flatMap((i) => flattenParams(i.metrics).map(([k, v]) => [i.name, k, v]))));
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
  const diff = runDiffCommand("diff", "how metrics changed between two runs (default: the last against the one before)", "metrics");
  return new Command("metrics").description("show or compare the metrics of recorded runs").addCommand(show).addCommand(diff);
}

// src/cli/checkout.ts
import { join } from "node:path";
var import_picocolors8 = __toESM(require_picocolors(), 1);
function checkoutCommandDefinition() {
  return addProjectOption(new Command("checkout")).description("put a run's outs back into the workspace from the cache, and record them in pipewright.lock").argument("<run>", "id, #id, name, or last~N (N runs before the last)").argument("[stage...]", "only the instances of these stages").addHelpText("after", `
Outs removed from the cache since (by \`pipewright gc\`) cannot come back: they are named, and the
exit code is 1. Params files are not changed: \`pipewright status\` then tells what differs.`).action((ref, stages, flags) => runCommand(async () => {
    const [{ StageCache }, { acquireWorkspaceLock }, { forgetUpToDate }, { openProject }] = await Promise.all([
      import("./stage-cache-OKIOMIZA.js"),
      import("./workspace-lock-TLZ3U7DK.js"),
      import("./up-to-date-33OAIOD5.js"),
      import("./project-QPXB63KP.js")
    ]);
    const runs = await openRunStore(flags.cwd);
    const project = await openProject(enterProject(flags.cwd));
    const warn = (m) => process.stderr.write(`${import_picocolors8.default.yellow("warning")}: ${m}
`);
    const lock = acquireWorkspaceLock(layout(project.root).workspaceLock, `pipewright checkout ${ref}`, warn);
    const cache = new StageCache(project.declaration, { warn });
    try {
      const run = runs.resolve(ref);
      const instances = runs.instances(run.id).filter((i) => i.outs?.length && (stages.length === 0 || stages.includes(i.stage) || stages.includes(i.name)));
      forgetUpToDate(project.root);
      const missing = [];
      let restored = 0;
      for (const instance of instances) {
        const cached = instance.outs.filter((o) => o.cache);
        const lost = await cache.intact(cached) ? [] : cached;
        if (lost.length) {
          missing.push(...lost.map((o) => `${o.path} (${instance.name})`));
          continue;
        }
        for (const out of instance.outs) {
          if (!out.cache) continue;
          await cache.store.checkout(out.hash, join(project.root, out.path));
          restored++;
        }
        const known = instance.fingerprint && cache.runCache.get(instance.fingerprint);
        if (known) cache.lock.set(instance.name, known.entry);
      }
      process.stdout.write(`checked out ${restored} outs of ${instances.length} instances of run #${run.id} ${run.name}
`);
      if (missing.length) {
        process.stderr.write(`${import_picocolors8.default.red("not in the cache any more")} (removed by gc, or changed in place through a hard link):
${missing.map((m) => `  ${m}
`).join("")}`);
        return ExitCode.stageFailed;
      }
      return ExitCode.ok;
    } finally {
      cache.close();
      runs.close();
      lock.release();
    }
  }));
}

// src/cli/queue.ts
var import_picocolors9 = __toESM(require_picocolors(), 1);
import { availableParallelism as availableParallelism3 } from "node:os";
function queueCommandDefinition() {
  const add = addProjectOption(new Command("add")).description("add a run to the queue").argument("[stage...]", "stages to run (with their upstream); all when none").option("--version <name>", "a named set of overrides from the pipeline file's versions").option("-S, --set <stage.param=value>", "override a param (repeatable)", collect, []).option("-n, --name <name>", "the run's name in the store").action((targets, flags) => runCommand(async () => {
    const { openProject } = await import("./project-QPXB63KP.js");
    await openProject(enterProject(flags.cwd), flags.set, flags.version === void 0 ? [] : [flags.version]);
    const [{ RunStore }, { layout: layout2 }] = await Promise.all([import("./run-store-VHZPZ5OJ.js"), import("./layout-UPQALZIG.js")]);
    const store = new RunStore(layout2(process.cwd()).runsDb);
    try {
      const spec = { targets, overrides: flags.set, ...flags.version ? { version: flags.version } : {}, ...flags.name ? { name: flags.name } : {} };
      const entry = store.enqueue(spec);
      process.stdout.write(`queued #${entry.id}: ${describe(spec)}
`);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
  const list = addProjectOption(new Command("list")).description("the queue: waiting, running, done and failed entries").option("--json", "as JSON").action((flags) => runCommand(async () => {
    const store = await openRunStoreIfAny(flags.cwd);
    try {
      const entries = store?.queue() ?? [];
      if (flags.json) printJson(entries);
      else if (entries.length === 0) process.stdout.write("The queue is empty.\n");
      else process.stdout.write(formatTable(
        ["entry", "added", "status", "run", "what"],
        entries.map((e) => [`#${e.id}`, formatTime(e.addedAt), e.status, e.runId === void 0 ? "-" : `#${e.runId}`, describe(e.spec) + (e.error ? ` (${e.error})` : "")])
      ));
      return ExitCode.ok;
    } finally {
      store?.close();
    }
  }));
  const start = addProjectOption(new Command("start")).description("run the queued entries one after another, until none is left").option("-j, --jobs <n>", "stages run at once within each run", positiveInt, availableParallelism3()).option("-v, --verbose", "stream the stages' output").action((flags) => runCommand(async () => {
    const store = await openRunStoreIfAny(flags.cwd);
    if (!store) {
      process.stdout.write("The queue is empty: add to it with `pipewright queue add`.\n");
      return ExitCode.ok;
    }
    const root = process.cwd();
    let failed = 0;
    let done = 0;
    try {
      for (let entry = store.takeQueued(); entry; entry = store.takeQueued()) {
        process.stdout.write(import_picocolors9.default.bold(`
queue entry #${entry.id}: ${describe(entry.spec)}
`));
        let runId;
        try {
          const reporter = await ProgressReporter.create({ out: process.stdout, tty: process.stdout.isTTY === true, verbose: flags.verbose === true, root });
          const summary = await runPipeline({
            dir: root,
            targets: [...entry.spec.targets],
            overrides: [...entry.spec.overrides],
            version: entry.spec.version,
            name: entry.spec.name,
            jobs: flags.jobs,
            streamOutput: flags.verbose === true,
            argv: ["queue", "start", `#${entry.id}`],
            onEvent: reporter.onEvent,
            onRecord: (run) => runId = run.id,
            recordNow: true
          });
          const ok = summary.failed.length === 0 && !summary.cancelled;
          store.finishQueued(entry.id, ok ? "done" : "failed", runId, ok ? void 0 : `${summary.failed.length} failed`);
          if (ok) done++;
          else failed++;
        } catch (err) {
          failed++;
          store.finishQueued(entry.id, "failed", runId, err instanceof Error ? err.message : String(err));
          process.stderr.write(`${import_picocolors9.default.red("queue entry failed")}: ${err instanceof Error ? err.message : String(err)}
`);
        }
      }
      process.stdout.write(`
queue empty: ${done} done, ${failed} failed
`);
      return failed ? ExitCode.stageFailed : ExitCode.ok;
    } finally {
      store.close();
    }
  }));
  return new Command("queue").description("queue runs (a version, or -S overrides) and run them one after another").addCommand(add).addCommand(list).addCommand(start).addHelpText("after", `
Examples:
  pipewright queue add --version small
  pipewright queue add -S train.lr=0.05 -S train.lr=0.1 -n lr-0.1
  pipewright queue start -j 2`);
}
function describe(spec) {
  const parts = [...spec.version ? [`--version ${spec.version}`] : [], ...spec.overrides.map((o) => `-S ${o}`), ...spec.targets, ...spec.name ? [`-n ${spec.name}`] : []];
  return parts.join(" ") || "the whole pipeline as it is";
}

// src/cli/analyze.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join as join2, relative as relative2, resolve as resolve3 } from "node:path";
var import_picocolors10 = __toESM(require_picocolors(), 1);
function analyzeCommandDefinition() {
  return addProjectOption(new Command("analyze")).description("rank a sweep's params by how much they move a metric: a random forest from params to metric, explained by exact Shapley values").argument("[run]", "id, #id, name, or last~N (default: last)", "last").requiredOption("--stage <stage>", "the swept stage").requiredOption("--metric <name>", "the metric (a dotted key for nested metrics)").option("-o, --out <dir>", "where the bar and beeswarm plots go (PNG and SVG)").option("--trees <n>", "trees in the forest", (v) => Number(v), 100).option("--json", "the ranking and every instance's Shapley values as JSON").addHelpText("after", `
The importance of a param is its mean |Shapley value|: how far it moves the predicted metric from
the average, in the metric's units. Shapley values are exact (every coalition of params, 2^p, is
evaluated over a background sample of the instances); up to 12 varying params.

Example:
  pipewright analyze --stage train --metric f1 -o plots/`).action((ref, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    const root = process.cwd();
    try {
      const run = store.resolve(ref);
      const instances = store.instances(run.id, flags.stage);
      if (instances.length === 0) {
        const stages = [...new Set(store.instanceCounts(run.id).map((c) => c.stage))];
        throw new PipelineError("unknown-stage", `run #${run.id} ${run.name} has no instances of stage "${flags.stage}"`, void 0, `its stages: ${stages.join(", ")}`);
      }
      const samples = instances.flatMap((i) => {
        const value = new Map(flattenParams(i.metrics ?? {})).get(flags.metric);
        return typeof value === "number" && i.status !== "failed" ? [{ name: i.name, params: i.params, metric: value }] : [];
      });
      if (samples.length === 0) {
        const known = [...new Set(instances.flatMap((i) => flattenParams(i.metrics ?? {}).map(([k]) => k)))];
        throw new PipelineError(
          "usage",
          `no instance of "${flags.stage}" in run #${run.id} has a numeric metric "${flags.metric}"`,
          void 0,
          known.length ? `its metrics: ${known.join(", ")}` : "the stage records no metrics"
        );
      }
      const { analyzeSignificance, barPlotSpec, beeswarmSpec } = await import("./significance-TMVGL3YM.js");
      let result;
      try {
        result = analyzeSignificance(flags.metric, samples, { trees: flags.trees });
      } catch (err) {
        throw new PipelineError("usage", err.message, void 0, "analyze a sweep with more instances, or params that vary");
      }
      const outDir = resolve3(flags.out ?? layout(root).plots);
      mkdirSync(outDir, { recursive: true });
      const { render } = await import("./render-QEKFCIQZ.js");
      const written = [];
      for (const [name, spec] of [["importance", barPlotSpec(result)], ["beeswarm", beeswarmSpec(result)]]) {
        const base = join2(outDir, `${flags.stage}-${flags.metric}-${name}`);
        const { svg, png } = await render(spec);
        writeFileSync(`${base}.svg`, svg);
        writeFileSync(`${base}.png`, png);
        written.push(`${base}.png`, `${base}.svg`);
      }
      if (flags.json) {
        printJson({ run: { id: run.id, name: run.name }, stage: flags.stage, ...result, plots: written });
        return ExitCode.ok;
      }
      process.stdout.write(`${import_picocolors10.default.bold(`${flags.metric}`)} over ${result.instances} instances of ${flags.stage} in run #${run.id} ${run.name} (random forest, out-of-bag R\xB2 ${result.r2.toFixed(2)})

`);
      process.stdout.write(formatTable(["rank", "param", "mean |SHAP|", "effect"], result.ranking.map((r, i) => [
        i + 1,
        r.param,
        r.importance,
        Math.abs(r.direction) < 0.2 ? "mixed" : r.direction > 0 ? `higher \u2192 higher ${flags.metric}` : `higher \u2192 lower ${flags.metric}`
      ])));
      if (result.r2 < 0.2) process.stdout.write(import_picocolors10.default.yellow(`
The params explain little of ${flags.metric} (R\xB2 ${result.r2.toFixed(2)}): read the ranking with care.
`));
      process.stdout.write(`
plots: ${written.map((w) => relative2(root, w)).join(", ")}
`);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
}

// src/cli/plots.ts
import { existsSync as existsSync2, mkdirSync as mkdirSync2, readFileSync as readFileSync3, writeFileSync as writeFileSync2 } from "node:fs";
import { extname, join as join3, relative as relative3, resolve as resolve4 } from "node:path";
function plotsCommandDefinition() {
  return addProjectOption(new Command("plots")).description("draw the stages' plot files of one or more runs, overlaid: SVG and PNG per plot, and an index.html showing them").argument("[run...]", "runs by id, #id, name or last~N (default: last)").option("-o, --out <dir>", "where to write them (default .pipewright/plots)").addHelpText("after", `
Plot files are JSON (a list of records), CSV/TSV or YAML. The axes are the stage's plot properties
(x, y, title, x_label, y_label, as in dvc.yaml); without them x is the field step, epoch, x or
iteration when present (else the row number), and every other numeric field is a line. Each run's data
comes from the cache, so older runs can be drawn after the workspace moved on.

Example:
  pipewright plots last~1 last -o plots/   the last two runs, overlaid`).action((refs, flags) => runCommand(async () => {
    const store = await openRunStore(flags.cwd);
    const [{ openProject }, { ObjectStore }, { parsePlotData, chartSpec, plotsPage, IMAGE_EXTENSIONS }, { render }] = await Promise.all([
      import("./project-QPXB63KP.js"),
      import("./object-store-5KKSK6BU.js"),
      import("./plots-WE4YAGC5.js"),
      import("./render-QEKFCIQZ.js")
    ]);
    try {
      const project = await openProject(enterProject(flags.cwd));
      const definitions = chartDefinitions(project.declaration.plots ?? [], [...project.graph.nodes.values()]);
      const objects = new ObjectStore(layout(project.root).cache);
      const runs = (refs.length ? refs : ["last"]).map((ref) => store.resolve(ref));
      const outsOf = new Map(runs.map((run) => [run.id, store.instances(run.id).flatMap((i) => i.outs ?? [])]));
      const contentOf = (runId, path) => {
        for (const out of outsOf.get(runId)) {
          let hash;
          if (out.path === path && !isDirHash(out.hash)) hash = out.hash;
          else if (path.startsWith(`${out.path}/`) && isDirHash(out.hash)) hash = objects.readManifest(out.hash)?.find((e) => e.path === path.slice(out.path.length + 1))?.hash;
          if (hash === void 0) continue;
          for (const candidate of [objects.pathOf(hash), join3(project.root, path)]) {
            const bytes2 = existsSync2(candidate) ? readFileSync3(candidate) : void 0;
            if (bytes2 && hashBytes(bytes2) === hash) return bytes2;
          }
        }
        return void 0;
      };
      const outDir = resolve4(flags.out ?? layout(project.root).plots);
      mkdirSync2(outDir, { recursive: true });
      const charts = [];
      const name = (text) => text.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/\.[^.]+$/, "");
      for (const definition of definitions) {
        const series = [];
        for (const run of runs) {
          for (const file of definition.files) {
            const found = contentOf(run.id, file.path);
            if (!found) continue;
            const label = `#${run.id} ${run.name}`;
            if (IMAGE_EXTENSIONS.includes(extname(file.path).toLowerCase())) {
              const copy = `${name(`${file.path}-${run.id}`)}${extname(file.path)}`;
              writeFileSync2(join3(outDir, copy), found);
              charts.push({ name: `${file.path} (${label})`, png: copy });
              continue;
            }
            series.push({ run: label, file: file.path, x: file.x, y: file.y, rows: parsePlotData(file.path, found.toString("utf8")) });
          }
        }
        if (series.length === 0) continue;
        const { svg, png } = await render(chartSpec(definition, series));
        const base = name(definition.id);
        writeFileSync2(join3(outDir, `${base}.svg`), svg);
        writeFileSync2(join3(outDir, `${base}.png`), png);
        charts.push({ name: definition.id, svg, png: `${base}.png` });
      }
      if (charts.length === 0) {
        const paths = definitions.flatMap((d) => d.files.map((f) => f.path));
        throw new PipelineError(
          "usage",
          `no plot files in run${runs.length > 1 ? "s" : ""} ${runs.map((r) => `#${r.id}`).join(", ")}`,
          void 0,
          paths.length ? `the pipeline's plots: ${paths.join(", ")}` : "list data files under a stage's `plots` (or a top-level `plots:`) to draw them"
        );
      }
      writeFileSync2(join3(outDir, "index.html"), plotsPage(`pipewright plots: ${runs.map((r) => `#${r.id} ${r.name}`).join(" vs ")}`, charts));
      process.stdout.write(`${charts.length} plot${charts.length === 1 ? "" : "s"} of ${runs.length} run${runs.length === 1 ? "" : "s"} in ${relative3(process.cwd(), outDir) || "."}: ${charts.map((c) => c.png).join(", ")}, index.html
`);
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }));
}
function chartDefinitions(topLevel, nodes) {
  const named = new Set(topLevel.flatMap((d) => d.files.map((f) => f.path)));
  const own = nodes.flatMap((n) => n.plots).filter((p) => !named.has(p.path)).map((p) => ({
    id: p.path,
    template: "simple",
    title: p.plot?.title,
    xLabel: p.plot?.xLabel,
    yLabel: p.plot?.yLabel,
    files: [{ path: p.path, x: p.plot?.x, y: p.plot?.y ?? [] }]
  }));
  return [...topLevel, ...own];
}

// src/cli/main.ts
var program2 = new Command("pipewright").description("Reproducible, parallel ML and data pipelines").version(VERSION).enablePositionalOptions().showHelpAfterError("(add --help for usage)").exitOverride().addCommand(runCommandDefinition()).addCommand(statusCommandDefinition()).addCommand(dagCommandDefinition()).addCommand(listCommandDefinition()).addCommand(execCommandDefinition()).addCommand(gcCommandDefinition()).addCommand(runsCommandDefinition()).addCommand(showCommandDefinition()).addCommand(diffCommandDefinition()).addCommand(metricsCommandDefinition()).addCommand(checkoutCommandDefinition()).addCommand(queueCommandDefinition()).addCommand(plotsCommandDefinition()).addCommand(analyzeCommandDefinition());
var exitOverride = (command) => {
  command.exitOverride();
  command.commands.forEach(exitOverride);
};
program2.commands.forEach(exitOverride);
try {
  await program2.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
}
//# sourceMappingURL=main-FHSL42IL.js.map
